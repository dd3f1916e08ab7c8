package io.albauth;

import io.albauth.provision.ProvisioningAction;
import io.albauth.provision.ProvisioningAction.AddToGroup;
import io.albauth.provision.ProvisioningAction.Change;
import io.albauth.provision.ProvisioningAction.CreateUser;
import io.albauth.provision.ProvisioningAction.ReactivateUser;
import io.albauth.provision.ProvisioningAction.RemoveFromGroup;
import io.albauth.provision.ProvisioningAction.UpdateUser;
import io.albauth.provision.ProvisioningPlan;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a plan reply ({@code encode_plan} in {@code src/java/provision.rs}) with
 * {@link WireReader}: the refusal code and detail, a count, and per action its name, username
 * and reason, then its own fields. A failure status throws what {@link Status} maps it to; a
 * truncated or garbled reply, an unknown action name or a missing required string is
 * {@link AlbAuthPanicError}, never a plan.
 */
final class PlanDecoder {
    private PlanDecoder() {}

    static ProvisioningPlan decode(byte[] reply) {
        WireReader r = WireReader.reply(reply);
        if (r.status() != Status.OK) {
            String detail = r.string();
            r.end();
            throw Status.raise(r.status(), detail);
        }
        String refused = r.string();
        String detail = r.string();
        int n = r.count(12);
        List<ProvisioningAction> actions = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            String name = required(r);
            String username = required(r);
            String reason = required(r);
            switch (name) {
                case "create_user":
                    actions.add(new CreateUser(username, r.string(), r.string(), r.string(), reason));
                    break;
                case "update_user": {
                    int changes = r.count(12);
                    Map<String, Change> map = new LinkedHashMap<>();
                    for (int c = 0; c < changes; c++) {
                        map.put(required(r), new Change(r.string(), r.string()));
                    }
                    actions.add(new UpdateUser(username, map, reason));
                    break;
                }
                case "reactivate_user":
                    actions.add(new ReactivateUser(username, reason));
                    break;
                case "add_to_group":
                    actions.add(new AddToGroup(username, required(r), reason));
                    break;
                case "remove_from_group":
                    actions.add(new RemoveFromGroup(username, required(r), reason));
                    break;
                default:
                    throw garbled("an unknown action");
            }
        }
        r.end();
        if (refused != null && !actions.isEmpty()) {
            throw garbled("a refused plan with actions");
        }
        return new ProvisioningPlan(refused, detail, actions);
    }

    /** The login facts reply: the IdP id (null when the configured claim is absent) and the key. */
    static String[] decodeLoginFacts(byte[] reply) {
        WireReader r = WireReader.reply(reply);
        if (r.status() != Status.OK) {
            String detail = r.string();
            r.end();
            throw Status.raise(r.status(), detail);
        }
        String idpId = r.string();
        String key = required(r);
        r.end();
        return new String[] {idpId, key};
    }

    private static String required(WireReader r) {
        String s = r.string();
        if (s == null) {
            throw garbled("a null where a string is required");
        }
        return s;
    }

    private static AlbAuthPanicError garbled(String why) {
        return new AlbAuthPanicError("albauth: the native library returned a garbled plan (" + why + ")");
    }
}
