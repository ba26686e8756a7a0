package dev.minillm.common;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** The harness version, filled in by Maven resource filtering. */
public final class Version {
    private Version() {
    }

    public static String get() {
        try (InputStream in = Version.class.getResourceAsStream("/minillm-version.properties")) {
            if (in == null) {
                return "dev";
            }
            Properties p = new Properties();
            p.load(in);
            return p.getProperty("version", "dev");
        } catch (IOException e) {
            return "dev";
        }
    }
}
