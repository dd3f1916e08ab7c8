package com.atlassian.crowd.embedded.api;

import com.atlassian.crowd.exception.OperationFailedException;
import java.util.List;

/** Stub of Crowd 5.x/6.x (embedded in Jira 9.12–10, Confluence 8.5–9) {@code CrowdDirectoryService}: the product's directory configuration. */
public interface CrowdDirectoryService {
    Directory addDirectory(Directory directory) throws OperationFailedException;

    Directory findDirectoryById(long directoryId);

    List<Directory> findAllDirectories();
}
