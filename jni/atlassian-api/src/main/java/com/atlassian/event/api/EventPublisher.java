package com.atlassian.event.api;

/** Stub of atlassian-event 4.x {@code EventPublisher} (Confluence 8.5, Jira 9.12). */
public interface EventPublisher {
    void publish(Object event);

    void register(Object listener);

    void unregister(Object listener);
}
