package io.albauth.provision;

import io.albauth.provision.ProvisioningAction.CreateUser;
import io.albauth.provision.ProvisioningAction.UpdateUser;

/** Passes every call to another directory. */
public class Delegate implements UserDirectory {
    protected final UserDirectory to;

    public Delegate(UserDirectory to) {
        this.to = to;
    }

    @Override
    public UserRecord findByUsername(String username) throws DirectoryException {
        return to.findByUsername(username);
    }

    @Override
    public UserRecord findByIdpId(String idpId) throws DirectoryException {
        return to.findByIdpId(idpId);
    }

    @Override
    public boolean seatsAvailable() throws DirectoryException {
        return to.seatsAvailable();
    }

    @Override
    public void createUser(CreateUser user) throws DirectoryException {
        to.createUser(user);
    }

    @Override
    public void updateUser(UpdateUser update) throws DirectoryException {
        to.updateUser(update);
    }

    @Override
    public void activateUser(String username) throws DirectoryException {
        to.activateUser(username);
    }

    @Override
    public void addToGroup(String username, String group) throws DirectoryException {
        to.addToGroup(username, group);
    }

    @Override
    public void removeFromGroup(String username, String group) throws DirectoryException {
        to.removeFromGroup(username, group);
    }

    @Override
    public <T> T inTransaction(Work<T> work) throws DirectoryException {
        return to.inTransaction(work);
    }
}
