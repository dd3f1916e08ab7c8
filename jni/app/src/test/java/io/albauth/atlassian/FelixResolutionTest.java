package io.albauth.atlassian;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.felix.framework.Felix;
import org.apache.felix.framework.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleException;
import org.osgi.framework.Constants;

/**
 * The four app jars in a real OSGi framework (Apache Felix): with bundles exporting the stubbed
 * Atlassian packages and the servlet API, each jar resolves, starts, and every class in it loads
 * with every type its fields and methods name; every host service its Spring context imports is a
 * package it imports. A jar with a missing or wrong Import-Package fails these checks.
 */
class FelixResolutionTest {
    static final Path BUILD = Path.of(System.getProperty("albauth.app.build", "../build/app"));
    static final String VERSION = version();

    @TempDir
    Path storage;
    private Felix felix;

    static String version() {
        try (Stream<Path> jars = Files.list(Path.of(System.getProperty("albauth.app.build", "../build/app")))) {
            return jars.map(p -> p.getFileName().toString()).filter(n -> n.matches("albauth-jira-[0-9.]+\\.jar"))
                    .map(n -> n.substring("albauth-jira-".length(), n.length() - 4)).findFirst()
                    .orElseThrow(() -> new IllegalStateException("no albauth-jira-VERSION.jar in " + BUILD));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static Stream<String> jars() {
        return Stream.of("albauth-jira-" + VERSION + ".jar", "albauth-confluence-" + VERSION + ".jar",
                "albauth-jira-" + VERSION + "-jakarta.jar", "albauth-confluence-" + VERSION + "-jakarta.jar");
    }

    static boolean jakarta(String jar) {
        return jar.endsWith("-jakarta.jar");
    }

    /** Felix's own log goes nowhere: the assertions say what failed. */
    static final class Quiet extends Logger {
        @Override
        @SuppressWarnings("rawtypes") // Felix 4.6 declares the raw type
        protected void doLog(Bundle bundle, org.osgi.framework.ServiceReference sr, int level, String msg,
                Throwable t) {}
    }

    @BeforeEach
    void startFelix() throws BundleException {
        Map<String, Object> config = new HashMap<>();
        config.put(Constants.FRAMEWORK_STORAGE, storage.toString());
        config.put(Constants.FRAMEWORK_STORAGE_CLEAN, Constants.FRAMEWORK_STORAGE_CLEAN_ONFIRSTINIT);
        config.put("felix.log.logger", new Quiet());
        // Felix 4.6 predates Java 17: it would offer no execution environment the servlet API bundles accept
        config.put(Constants.FRAMEWORK_SYSTEMCAPABILITIES_EXTRA, "osgi.ee; osgi.ee=\"JavaSE\"; "
                + "version:List<Version>=\"1.0,1.1,1.2,1.3,1.4,1.5,1.6,1.7,1.8,9,10,11,12,13,14,15,16,17\"");
        // java.sql and other JDK modules outside java.base live in the platform class loader (Java 9+),
        // which is what "ext" names; hosts on Java 17 see them too
        config.put(Constants.FRAMEWORK_BUNDLE_PARENT, Constants.FRAMEWORK_BUNDLE_PARENT_EXT);
        // strict: a class a bundle cannot see through its imports is not found on the test class path instead
        config.put("felix.bootdelegation.implicit", "false");
        felix = new Felix(config);
        felix.start();
    }

    @AfterEach
    void stopFelix() throws Exception {
        felix.stop();
        felix.waitForStop(0);
    }

    /** Installs the servlet API and stub bundles of the jar's flavour, then the jar. */
    private Bundle install(String jar, Path file) throws BundleException {
        String flavour = jakarta(jar) ? "jakarta" : "javax";
        String servlet = jakarta(jar) ? "/usr/share/java/jakarta-servlet-api.jar" : "/usr/share/java/servlet-api.jar";
        felix.getBundleContext().installBundle(Path.of(servlet).toUri().toString()).start();
        felix.getBundleContext().installBundle(BUILD.resolve("test-bundles/stubs-" + flavour + ".jar").toUri().toString())
                .start();
        return felix.getBundleContext().installBundle(file.toUri().toString());
    }

    /** Loads every class of the jar through the bundle, with the types of its fields and methods. */
    static List<String> loadEveryClass(Bundle bundle, Path jar) throws IOException {
        List<String> failures = new ArrayList<>();
        try (JarFile f = new JarFile(jar.toFile())) {
            for (Enumeration<JarEntry> e = f.entries(); e.hasMoreElements();) {
                String name = e.nextElement().getName();
                if (!name.endsWith(".class") || name.contains("-")) {
                    continue;
                }
                String cls = name.substring(0, name.length() - 6).replace('/', '.');
                try {
                    Class<?> c = bundle.loadClass(cls);
                    c.getDeclaredFields();
                    c.getDeclaredConstructors();
                    for (Method m : c.getDeclaredMethods()) {
                        m.getGenericReturnType();
                    }
                } catch (ClassNotFoundException | LinkageError ex) {
                    failures.add(cls + ": " + ex);
                }
            }
        }
        return failures;
    }

    static Set<String> imports(Path jar) throws IOException {
        try (JarFile f = new JarFile(jar.toFile())) {
            String header = f.getManifest().getMainAttributes().getValue("Import-Package");
            Set<String> out = new LinkedHashSet<>();
            for (String clause : header.split(",")) {
                out.add(clause.split(";")[0].trim());
            }
            return out;
        }
    }

    static String entry(Path jar, String name) throws IOException {
        try (JarFile f = new JarFile(jar.toFile())) {
            JarEntry e = f.getJarEntry(name);
            assertNotNull(e, name + " in " + jar);
            try (InputStream in = f.getInputStream(e)) {
                return new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
        }
    }

    static List<String> attributes(String xml, String attribute) {
        List<String> out = new ArrayList<>();
        Matcher m = Pattern.compile(attribute + "=\"([^\"]+)\"").matcher(xml);
        while (m.find()) {
            out.add(m.group(1));
        }
        return out;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("jars")
    void theJarResolvesStartsAndLoadsEveryClass(String jar) throws Exception {
        Path file = BUILD.resolve(jar);
        Bundle app = install(jar, file);
        app.start();
        assertEquals(Bundle.ACTIVE, app.getState());
        assertEquals(List.of(), loadEveryClass(app, file));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("jars")
    void everyHostServiceTheSpringContextImportsIsAnImportedPackage(String jar) throws Exception {
        Path file = BUILD.resolve(jar);
        String spring = entry(file, "META-INF/spring/albauth.xml");
        List<String> interfaces = attributes(spring, "interface");
        assertTrue(interfaces.size() >= 8, interfaces::toString);
        Set<String> imported = imports(file);
        Bundle app = install(jar, file);
        app.start();
        for (String i : interfaces) {
            assertTrue(imported.contains(i.substring(0, i.lastIndexOf('.'))), i + " not in Import-Package " + imported);
            assertTrue(app.loadClass(i).isInterface(), i);
        }
        for (String bean : attributes(spring, "class")) {
            assertNotNull(app.loadClass(bean), bean);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("jars")
    void theModulesOfThePluginDescriptorLoad(String jar) throws Exception {
        Path file = BUILD.resolve(jar);
        String descriptor = entry(file, "atlassian-plugin.xml");
        assertTrue(descriptor.contains("location=\"before-login\""), descriptor);
        assertTrue(descriptor.contains("<param name=\"configure.url\">/plugins/servlet/albauth/admin</param>"));
        Bundle app = install(jar, file);
        app.start();
        for (String cls : attributes(descriptor, "class")) {
            assertNotNull(app.loadClass(cls), cls);
        }
        String key = attributes(descriptor, "key").get(0);
        try (JarFile f = new JarFile(file.toFile())) {
            Attributes main = f.getManifest().getMainAttributes();
            assertEquals(key, main.getValue("Atlassian-Plugin-Key"));
            assertEquals(key, main.getValue("Bundle-SymbolicName"));
            assertEquals("*", main.getValue("Spring-Context"));
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("jars")
    void theJarShipsNoAtlassianClassAndOnlyItsOwnProduct(String jar) throws Exception {
        String other = jar.contains("-jira-") ? "confluence" : "jira";
        try (JarFile f = new JarFile(BUILD.resolve(jar).toFile())) {
            f.stream().map(JarEntry::getName).forEach(n -> {
                assertFalse(n.startsWith("com/atlassian/"), n);
                assertFalse(n.startsWith("io/albauth/atlassian/" + other + "/"), n);
            });
            assertNotNull(f.getJarEntry("io/albauth/native/linux-amd64/libalbauth.so"));
        }
        Set<String> imports = imports(BUILD.resolve(jar));
        assertTrue(imports.contains(jakarta(jar) ? "jakarta.servlet.http" : "javax.servlet.http"), imports::toString);
        assertFalse(imports.contains(jakarta(jar) ? "javax.servlet.http" : "jakarta.servlet.http"), imports::toString);
    }

    /** A copy of the javax Jira jar whose Import-Package {@code edit} rewrote. */
    private Path variant(UnaryOperator<String> edit) throws IOException {
        Path from = BUILD.resolve("albauth-jira-" + VERSION + ".jar");
        Path to = storage.resolve("broken.jar");
        try (JarFile in = new JarFile(from.toFile())) {
            Manifest m = new Manifest(in.getManifest());
            Attributes a = m.getMainAttributes();
            a.putValue("Import-Package", edit.apply(a.getValue("Import-Package")));
            try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(to), m)) {
                for (Enumeration<JarEntry> e = in.entries(); e.hasMoreElements();) {
                    JarEntry entry = e.nextElement();
                    if (entry.getName().equals(JarFile.MANIFEST_NAME) || entry.getName().equals("META-INF/")) {
                        continue;
                    }
                    out.putNextEntry(new JarEntry(entry.getName()));
                    ByteArrayOutputStream buf = new ByteArrayOutputStream();
                    try (InputStream is = in.getInputStream(entry)) {
                        is.transferTo(buf);
                    }
                    out.write(buf.toByteArray());
                    out.closeEntry();
                }
            }
        }
        return to;
    }

    @Test
    void aJarMissingAnImportFailsToLoadItsClasses() throws Exception {
        Path broken = variant(h -> h.replace("com.atlassian.crowd.manager.directory;version=0,", ""));
        assertFalse(imports(broken).contains("com.atlassian.crowd.manager.directory"));
        Bundle app = install("albauth-jira-" + VERSION + ".jar", broken);
        app.start(); // resolution has nothing to miss: only loading the classes finds it
        List<String> failures = loadEveryClass(app, broken);
        assertTrue(failures.stream().anyMatch(f -> f.startsWith("io.albauth.atlassian.CrowdUserDirectory:")
                && f.contains("DirectoryManager")), failures::toString);
    }

    @Test
    void aJarImportingAPackageNobodyExportsDoesNotResolve() throws Exception {
        Path broken = variant(h -> h.replace("com.atlassian.sal.api.user;version=0",
                "com.atlassian.sal.api.user;version=\"[99,100)\""));
        Bundle app = install("albauth-jira-" + VERSION + ".jar", broken);
        BundleException e = assertThrows(BundleException.class, app::start);
        assertTrue(String.valueOf(e.getMessage()).contains("com.atlassian.sal.api.user"), e.getMessage());
    }

    @Test
    void theNativeLibraryLoadsInTheBundleAndAgainAfterTheAppIsReinstalled() throws Exception {
        String jar = "albauth-jira-" + VERSION + ".jar";
        String config = io.albauth.testing.Configs.json(io.albauth.testing.Configs.pinned(new io.albauth.testing.TestKey()));
        Bundle first = install(jar, BUILD.resolve(jar));
        first.start();
        Class<?> one = verifierWorks(first, config);
        first.uninstall();
        Bundle second = felix.getBundleContext().installBundle(BUILD.resolve(jar).toUri() + "#again");
        second.start();
        Class<?> two = verifierWorks(second, config);
        assertFalse(one == two, "a second class loader");
    }

    /** Builds a verifier through the bundle's own classes (which loads the bundled native library). */
    private static Class<?> verifierWorks(Bundle bundle, String config) throws Exception {
        Class<?> albAuth = bundle.loadClass("io.albauth.AlbAuth");
        assertFalse(albAuth.getClassLoader() == FelixResolutionTest.class.getClassLoader());
        try (AutoCloseable verifier = (AutoCloseable) albAuth.getMethod("fromConfigJson", String.class).invoke(null, config)) {
            assertEquals(Boolean.FALSE, albAuth.getMethod("provisioningEnabled").invoke(verifier));
        }
        return albAuth;
    }
}
