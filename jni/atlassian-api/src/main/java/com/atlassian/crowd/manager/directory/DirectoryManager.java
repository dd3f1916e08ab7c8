package com.atlassian.crowd.manager.directory;

import com.atlassian.crowd.embedded.api.PasswordCredential;
import com.atlassian.crowd.exception.DirectoryNotFoundException;
import com.atlassian.crowd.exception.GroupNotFoundException;
import com.atlassian.crowd.exception.InvalidCredentialException;
import com.atlassian.crowd.exception.InvalidGroupException;
import com.atlassian.crowd.exception.InvalidUserException;
import com.atlassian.crowd.exception.MembershipAlreadyExistsException;
import com.atlassian.crowd.exception.MembershipNotFoundException;
import com.atlassian.crowd.exception.OperationFailedException;
import com.atlassian.crowd.exception.ReadOnlyGroupException;
import com.atlassian.crowd.exception.UserAlreadyExistsException;
import com.atlassian.crowd.exception.UserNotFoundException;
import com.atlassian.crowd.model.group.Group;
import com.atlassian.crowd.model.group.GroupTemplate;
import com.atlassian.crowd.model.user.User;
import com.atlassian.crowd.model.user.UserTemplate;
import com.atlassian.crowd.model.user.UserWithAttributes;
import com.atlassian.crowd.search.query.entity.EntityQuery;
import com.atlassian.crowd.search.query.membership.MembershipQuery;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Stub of Crowd 5.x/6.x (embedded in Jira 9.12–10, Confluence 8.5–9) {@code DirectoryManager}: operations on one directory by id. Only the methods the
 * app calls, with the checked exceptions the Javadoc declares
 * (docs.atlassian.com/atlassian-crowd/5.1.4 and 6.2.0). {@code addUser(long, UserTemplate,
 * PasswordCredential)} is deprecated from Crowd 5 in favour of the {@code UserTemplateWithAttributes}
 * overload; it is still there in 6.x and 7.0.
 */
public interface DirectoryManager {
    User findUserByName(long directoryId, String userName)
            throws DirectoryNotFoundException, UserNotFoundException, OperationFailedException;

    UserWithAttributes findUserWithAttributesByName(long directoryId, String userName)
            throws DirectoryNotFoundException, UserNotFoundException, OperationFailedException;

    <T> List<T> searchUsers(long directoryId, EntityQuery<T> query)
            throws DirectoryNotFoundException, OperationFailedException;

    <T> List<T> searchDirectGroupRelationships(long directoryId, MembershipQuery<T> query)
            throws DirectoryNotFoundException, OperationFailedException;

    User addUser(long directoryId, UserTemplate user, PasswordCredential credential)
            throws InvalidCredentialException, InvalidUserException, DirectoryPermissionException,
            DirectoryNotFoundException, OperationFailedException, UserAlreadyExistsException;

    User updateUser(long directoryId, UserTemplate user)
            throws DirectoryNotFoundException, UserNotFoundException, DirectoryPermissionException,
            InvalidUserException, OperationFailedException;

    User renameUser(long directoryId, String oldUsername, String newUsername)
            throws DirectoryNotFoundException, UserNotFoundException, OperationFailedException,
            DirectoryPermissionException, InvalidUserException, UserAlreadyExistsException;

    void removeUser(long directoryId, String username)
            throws DirectoryNotFoundException, UserNotFoundException, DirectoryPermissionException,
            OperationFailedException;

    void storeUserAttributes(long directoryId, String username, Map<String, Set<String>> attributes)
            throws DirectoryPermissionException, DirectoryNotFoundException, UserNotFoundException,
            OperationFailedException;

    Group addGroup(long directoryId, GroupTemplate group)
            throws InvalidGroupException, DirectoryPermissionException, DirectoryNotFoundException,
            OperationFailedException;

    void addUserToGroup(long directoryId, String username, String groupName)
            throws DirectoryPermissionException, DirectoryNotFoundException, UserNotFoundException,
            GroupNotFoundException, OperationFailedException, ReadOnlyGroupException,
            MembershipAlreadyExistsException;

    void removeUserFromGroup(long directoryId, String username, String groupName)
            throws DirectoryPermissionException, DirectoryNotFoundException, UserNotFoundException,
            GroupNotFoundException, MembershipNotFoundException, OperationFailedException,
            ReadOnlyGroupException;
}
