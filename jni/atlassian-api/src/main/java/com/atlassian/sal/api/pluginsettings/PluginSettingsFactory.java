package com.atlassian.sal.api.pluginsettings;

/** Stub of SAL 4.x/5.x {@code PluginSettingsFactory} (sal-api 4.4, Jira 9.12, Confluence 8.5). */
public interface PluginSettingsFactory {
    PluginSettings createSettingsForKey(String key);

    PluginSettings createGlobalSettings();
}
