package com.atlassian.beehive;

import java.util.concurrent.locks.Lock;

/** Stub of Beehive {@code ClusterLock}: a {@link Lock} held across every node. */
public interface ClusterLock extends Lock {}
