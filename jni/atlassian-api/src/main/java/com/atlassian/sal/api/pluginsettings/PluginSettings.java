package com.atlassian.sal.api.pluginsettings;

/**
 * Stub of SAL 4.x/5.x {@code PluginSettings} (sal-api 4.4, Jira 9.12, Confluence 8.5): values
 * are String, List&lt;String&gt;, Properties or Map&lt;String, String&gt;; the host stores them in
 * its database, shared by every cluster node.
 */
public interface PluginSettings {
    Object get(String key);

    Object put(String key, Object value);

    Object remove(String key);
}
