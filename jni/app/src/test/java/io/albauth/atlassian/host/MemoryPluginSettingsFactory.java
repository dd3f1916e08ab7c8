package io.albauth.atlassian.host;

import com.atlassian.sal.api.pluginsettings.PluginSettings;
import com.atlassian.sal.api.pluginsettings.PluginSettingsFactory;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;

/**
 * SAL plugin settings in memory. Share one instance between two apps to play two cluster nodes
 * over one database. Values are restricted as SAL restricts them (String, List, Properties, Map).
 */
public final class MemoryPluginSettingsFactory implements PluginSettingsFactory {
    private final Map<String, Map<String, Object>> stores = new ConcurrentHashMap<>();

    @Override
    public PluginSettings createSettingsForKey(String key) {
        return new Settings(stores.computeIfAbsent("key:" + key, k -> new ConcurrentHashMap<>()));
    }

    @Override
    public PluginSettings createGlobalSettings() {
        return new Settings(stores.computeIfAbsent("global", k -> new ConcurrentHashMap<>()));
    }

    private static final class Settings implements PluginSettings {
        private final Map<String, Object> values;

        Settings(Map<String, Object> values) {
            this.values = values;
        }

        @Override
        public Object get(String key) {
            return values.get(key);
        }

        @Override
        public Object put(String key, Object value) {
            if (key == null || key.length() > 100) {
                throw new IllegalArgumentException("SAL setting keys are 1 to 100 characters");
            }
            if (value == null) {
                return values.remove(key);
            }
            if (!(value instanceof String || value instanceof List || value instanceof Properties
                    || value instanceof Map)) {
                throw new IllegalArgumentException("SAL settings store String, List, Properties or Map, not "
                        + value.getClass().getName());
            }
            return values.put(key, value);
        }

        @Override
        public Object remove(String key) {
            return values.remove(key);
        }
    }
}
