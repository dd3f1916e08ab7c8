package io.albauth;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Locale;

/**
 * Loads the native library: from the system property {@code albauth.library.path} (a file, or a
 * directory holding it) if set, else from {@code java.library.path}, else the copy bundled in
 * this jar.
 *
 * <p>A JVM lets only one class loader load a given library file, and a plugin that is disabled
 * and enabled again gets a new class loader. So whenever a file is already taken, and always for
 * the bundled copy, the library is copied to a uniquely named temporary file and loaded from
 * there. The copy is deleted at once where the OS allows (the mapping stays valid), else on exit.
 */
final class NativeLoader {
    static final String PROPERTY = "albauth.library.path";
    static final String NAME = "albauth";

    /** Where the library came from, for diagnostics: e.g. "bundled (copy)". */
    static volatile String source = "not loaded";

    private NativeLoader() {}

    static void load() {
        String fileName = System.mapLibraryName(NAME);
        String explicit = System.getProperty(PROPERTY);
        if (explicit != null && !explicit.isEmpty()) {
            Path path = Path.of(explicit);
            if (Files.isDirectory(path)) {
                path = path.resolve(fileName);
            }
            if (!Files.isRegularFile(path)) {
                throw new UnsatisfiedLinkError(
                        "albauth: " + PROPERTY + " is set but " + path + " is not a file");
            }
            loadFile(path, PROPERTY);
            return;
        }
        Path onLibraryPath = findOnLibraryPath(fileName);
        if (onLibraryPath != null) {
            loadFile(onLibraryPath, "java.library.path");
            return;
        }
        loadBundled(fileName);
    }

    /** Loads {@code path}, or a private copy of it when another class loader holds it. */
    private static void loadFile(Path path, String how) {
        try {
            System.load(path.toAbsolutePath().toString());
            source = how + " " + path;
        } catch (UnsatisfiedLinkError e) {
            if (!String.valueOf(e.getMessage()).contains("another classloader")) {
                throw e;
            }
            try (InputStream in = Files.newInputStream(path)) {
                loadCopy(in, path.getFileName().toString());
                source = how + " " + path + " (copy)";
            } catch (IOException io) {
                throw linkError("cannot copy " + path + " for this class loader", io);
            }
        }
    }

    private static Path findOnLibraryPath(String fileName) {
        String libraryPath = System.getProperty("java.library.path", "");
        for (String dir : libraryPath.split(File.pathSeparator)) {
            if (dir.isEmpty()) {
                continue;
            }
            Path candidate = Path.of(dir, fileName);
            if (Files.isRegularFile(candidate)) {
                return candidate;
            }
        }
        return null;
    }

    /** The jar resource for this platform, e.g. {@code /io/albauth/native/linux-amd64/libalbauth.so}. */
    static String bundledResource(String fileName) {
        return "/io/albauth/native/" + platform() + "/" + fileName;
    }

    static String platform() {
        String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
        if (os.startsWith("mac") || os.startsWith("darwin")) {
            os = "macos";
        } else if (os.startsWith("windows")) {
            os = "windows";
        } else if (os.startsWith("linux")) {
            os = "linux";
        }
        String arch = System.getProperty("os.arch", "").toLowerCase(Locale.ROOT);
        if (arch.equals("x86_64")) {
            arch = "amd64";
        } else if (arch.equals("arm64")) {
            arch = "aarch64";
        }
        return os + "-" + arch;
    }

    private static void loadBundled(String fileName) {
        String resource = bundledResource(fileName);
        try (InputStream in = NativeLoader.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new UnsatisfiedLinkError(
                        "albauth: no native library for " + platform() + ": set " + PROPERTY
                                + ", put " + fileName + " on java.library.path, or use a jar that bundles "
                                + resource);
            }
            loadCopy(in, fileName);
            source = "bundled " + resource + " (copy)";
        } catch (IOException e) {
            throw linkError("cannot extract " + resource, e);
        }
    }

    private static void loadCopy(InputStream in, String fileName) throws IOException {
        int dot = fileName.lastIndexOf('.');
        String suffix = dot < 0 ? null : fileName.substring(dot);
        Path copy = Files.createTempFile("albauth-", suffix);
        try {
            Files.copy(in, copy, StandardCopyOption.REPLACE_EXISTING);
            System.load(copy.toAbsolutePath().toString());
        } finally {
            try {
                Files.delete(copy);
            } catch (IOException stillMapped) {
                copy.toFile().deleteOnExit();
            }
        }
    }

    private static UnsatisfiedLinkError linkError(String message, Throwable cause) {
        UnsatisfiedLinkError e = new UnsatisfiedLinkError("albauth: " + message + ": " + cause);
        e.initCause(cause);
        return e;
    }
}
