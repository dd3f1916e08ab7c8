package io.albauth.atlassian.host;

import com.atlassian.scheduler.JobRunner;
import com.atlassian.scheduler.JobRunnerRequest;
import com.atlassian.scheduler.JobRunnerResponse;
import com.atlassian.scheduler.SchedulerService;
import com.atlassian.scheduler.config.JobConfig;
import com.atlassian.scheduler.config.JobId;
import com.atlassian.scheduler.config.JobRunnerKey;
import java.util.Date;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Atlassian Scheduler without a clock: it keeps the registered runners and the scheduled jobs,
 * and a test fires a job's tick with {@link #fire}, on the calling thread. Nothing runs by itself.
 */
public final class FakeSchedulerService implements SchedulerService {
    private final Map<JobRunnerKey, JobRunner> runners = new ConcurrentHashMap<>();
    private final Map<JobId, JobConfig> jobs = new ConcurrentHashMap<>();
    private final AtomicInteger unscheduled = new AtomicInteger();

    @Override
    public void registerJobRunner(JobRunnerKey jobRunnerKey, JobRunner jobRunner) {
        runners.put(jobRunnerKey, jobRunner);
    }

    @Override
    public void unregisterJobRunner(JobRunnerKey jobRunnerKey) {
        runners.remove(jobRunnerKey);
    }

    @Override
    public void scheduleJob(JobId jobId, JobConfig jobConfig) {
        jobs.put(jobId, jobConfig);
    }

    @Override
    public void unscheduleJob(JobId jobId) {
        unscheduled.incrementAndGet();
        jobs.remove(jobId);
    }

    /** How many times {@link #unscheduleJob} was called. */
    public int unscheduled() {
        return unscheduled.get();
    }

    /** The registered runner of {@code key}, or null. */
    public JobRunner runner(String key) {
        return runners.get(JobRunnerKey.of(key));
    }

    /** The scheduled job {@code id}'s config, or null. */
    public JobConfig job(String id) {
        return jobs.get(JobId.of(id));
    }

    /** Runs job {@code id} once now, as the scheduler would at its time. */
    public JobRunnerResponse fire(String id) {
        JobId jobId = JobId.of(id);
        JobConfig config = jobs.get(jobId);
        if (config == null) {
            throw new IllegalStateException("no job " + id + " is scheduled");
        }
        JobRunner runner = runners.get(config.getJobRunnerKey());
        if (runner == null) {
            throw new IllegalStateException("no runner " + config.getJobRunnerKey() + " is registered");
        }
        Date start = new Date();
        return runner.runJob(new JobRunnerRequest() {
            @Override
            public Date getStartTime() {
                return start;
            }

            @Override
            public JobId getJobId() {
                return jobId;
            }

            @Override
            public JobConfig getJobConfig() {
                return config;
            }

            @Override
            public boolean isCancellationRequested() {
                return false;
            }
        });
    }
}
