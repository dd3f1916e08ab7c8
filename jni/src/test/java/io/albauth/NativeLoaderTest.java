package io.albauth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.albauth.testing.AlbToken;
import io.albauth.testing.Configs;
import io.albauth.testing.Fixtures;
import io.albauth.testing.TestKey;
import java.lang.reflect.Field;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import javax.servlet.http.HttpServletRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Loading the native library the ways a plugin host does: each test loads io.albauth in a fresh
 * class loader (as a plugin disable/enable does) in this same JVM, which already loaded it.
 */
class NativeLoaderTest {
    static final String NATIVE = System.getProperty("albauth.test.native");
    final TestKey key = new TestKey();
    final String savedLibraryPath = System.getProperty("java.library.path");
    /** test.sh sets it for this JVM's own loader (the test-natives build): put it back after. */
    final String savedProperty = System.getProperty(NativeLoader.PROPERTY);

    @AfterEach
    void restore() {
        if (savedProperty == null) {
            System.clearProperty(NativeLoader.PROPERTY);
        } else {
            System.setProperty(NativeLoader.PROPERTY, savedProperty);
        }
        System.setProperty("java.library.path", savedLibraryPath);
    }

    /** Like {@link #pluginLoader()}, plus the test classes (for {@link TestNatives}). */
    static URLClassLoader loaderWithTestNatives() throws Exception {
        URL jar = AlbAuth.class.getProtectionDomain().getCodeSource().getLocation();
        URL tests = TestNatives.class.getProtectionDomain().getCodeSource().getLocation();
        URL servlet = HttpServletRequest.class.getProtectionDomain().getCodeSource().getLocation();
        return new URLClassLoader(new URL[] {jar, tests, servlet}, ClassLoader.getPlatformClassLoader());
    }

    /** What calling TestNatives.panicForTest() in {@code loader} throws. */
    static Throwable panicForTestIn(ClassLoader loader) throws Exception {
        Method panic = Class.forName("io.albauth.TestNatives", true, loader).getDeclaredMethod("panicForTest");
        panic.setAccessible(true);
        InvocationTargetException e = assertThrows(InvocationTargetException.class, () -> panic.invoke(null));
        return e.getCause();
    }

    /** A plugin-like class loader over the albauth jar and the servlet API only. */
    static URLClassLoader pluginLoader() throws Exception {
        URL jar = AlbAuth.class.getProtectionDomain().getCodeSource().getLocation();
        URL servlet = HttpServletRequest.class.getProtectionDomain().getCodeSource().getLocation();
        return new URLClassLoader(new URL[] {jar, servlet}, ClassLoader.getPlatformClassLoader());
    }

    /** Verifies a token through AlbAuth as loaded by {@code loader}; returns the username. */
    String verifyIn(ClassLoader loader) throws Exception {
        Class<?> albAuth = Class.forName("io.albauth.AlbAuth", true, loader);
        assertTrue(albAuth != AlbAuth.class);
        Object auth = albAuth.getMethod("fromConfigJson", String.class).invoke(null, Configs.json(Configs.pinned(key)));
        try {
            Object decision = albAuth.getMethod("verify", Map.class, long.class)
                    .invoke(auth, Map.of("x-amzn-oidc-data", new AlbToken(key).sign(key)), Fixtures.NOW);
            return (String) decision.getClass().getMethod("username").invoke(decision);
        } finally {
            albAuth.getMethod("close").invoke(auth);
        }
    }

    static String sourceIn(ClassLoader loader) throws Exception {
        Field f = Class.forName("io.albauth.NativeLoader", true, loader).getDeclaredField("source");
        f.setAccessible(true);
        return (String) f.get(null);
    }

    @Test
    void thisJarBundlesTheLibraryForThisPlatform() {
        assertNotNull(NativeLoader.class.getResource(NativeLoader.bundledResource(System.mapLibraryName("albauth"))),
                NativeLoader.platform());
    }

    @Test
    void productionLibraryBundledInTheJarHasNoTestNatives() throws Exception {
        System.clearProperty(NativeLoader.PROPERTY);
        try (URLClassLoader loader = loaderWithTestNatives()) {
            Throwable t = panicForTestIn(loader);
            assertTrue(t instanceof UnsatisfiedLinkError, String.valueOf(t));
            assertTrue(sourceIn(loader).startsWith("bundled "), sourceIn(loader));
        }
    }

    @Test
    void testNativesBuildHasThem() throws Exception {
        System.setProperty(NativeLoader.PROPERTY, NATIVE);
        try (URLClassLoader loader = loaderWithTestNatives()) {
            Throwable t = panicForTestIn(loader);
            assertEquals("io.albauth.AlbAuthPanicError", t.getClass().getName(), String.valueOf(t));
        }
    }

    @Test
    void bundledCopyLoadsAgainInEveryNewClassLoader() throws Exception {
        System.clearProperty(NativeLoader.PROPERTY);
        for (int reload = 0; reload < 3; reload++) {
            try (URLClassLoader loader = pluginLoader()) {
                assertEquals("alice", verifyIn(loader));
                assertTrue(sourceIn(loader).startsWith("bundled "), sourceIn(loader));
            }
        }
    }

    @Test
    void propertyPathIsUsedAndCopiedWhenAnotherClassLoaderHoldsIt() throws Exception {
        assertNotNull(NATIVE, "test.sh passes -Dalbauth.test.native");
        System.setProperty(NativeLoader.PROPERTY, NATIVE);
        try (URLClassLoader first = pluginLoader(); URLClassLoader second = pluginLoader()) {
            assertEquals("alice", verifyIn(first));
            assertEquals("alice", verifyIn(second));
            String a = sourceIn(first);
            String b = sourceIn(second);
            assertTrue(a.startsWith(NativeLoader.PROPERTY + " "), a);
            assertTrue(b.startsWith(NativeLoader.PROPERTY + " ") && b.endsWith("(copy)"), b);
        }
    }

    @Test
    void propertyMayNameTheDirectory() throws Exception {
        System.setProperty(NativeLoader.PROPERTY, Path.of(NATIVE).getParent().toString());
        try (URLClassLoader loader = pluginLoader()) {
            assertEquals("alice", verifyIn(loader));
            assertTrue(sourceIn(loader).startsWith(NativeLoader.PROPERTY + " "), sourceIn(loader));
        }
    }

    @Test
    void javaLibraryPathIsUsedWhenThePropertyIsUnset() throws Exception {
        Path dir = Files.createTempDirectory("albauth-libpath");
        Path lib = Files.copy(Path.of(NATIVE), dir.resolve(System.mapLibraryName("albauth")));
        System.clearProperty(NativeLoader.PROPERTY);
        System.setProperty("java.library.path", "/nonexistent:" + dir);
        try (URLClassLoader loader = pluginLoader()) {
            assertEquals("alice", verifyIn(loader));
            assertTrue(sourceIn(loader).startsWith("java.library.path " + lib), sourceIn(loader));
        } finally {
            Files.delete(lib);
            Files.delete(dir);
        }
    }

    @Test
    void propertyNamingNoFileFailsWithAClearLinkError() throws Exception {
        System.setProperty(NativeLoader.PROPERTY, "/nonexistent/libalbauth.so");
        try (URLClassLoader loader = pluginLoader()) {
            Class<?> albAuth = Class.forName("io.albauth.AlbAuth", true, loader);
            Method create = albAuth.getMethod("fromConfigJson", String.class);
            InvocationTargetException e = assertThrows(InvocationTargetException.class, () -> create.invoke(null, "{}"));
            assertTrue(e.getCause() instanceof UnsatisfiedLinkError, String.valueOf(e.getCause()));
            assertTrue(e.getCause().getMessage().contains(NativeLoader.PROPERTY), e.getCause().getMessage());
        }
    }
}
