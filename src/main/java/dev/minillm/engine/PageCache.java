package dev.minillm.engine;

import com.sun.jna.Native;
import com.sun.jna.Platform;
import com.sun.jna.Pointer;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Drops a file's pages from the OS page cache so the next model load reads it from the disk
 * ("cold load"), and measures which fraction of the file is resident, so that a cold load can be
 * verified instead of assumed. Linux only: {@code posix_fadvise(POSIX_FADV_DONTNEED)} after an
 * {@code fdatasync} (dirty pages are not dropped), then {@code mincore} on a fresh read-only mapping
 * of the file. Neither needs root. Pages that another process has mapped stay resident; the
 * measurement then says so.
 */
public final class PageCache {
    public static final String METHOD = "posix_fadvise(POSIX_FADV_DONTNEED)";
    /** Resident fraction at or below which a load counts as cold (a few pages may be re-read by metadata access). */
    public static final double COLD_THRESHOLD = 0.01;

    private static final int O_RDONLY = 0;
    private static final int POSIX_FADV_DONTNEED = 4;
    private static final int PROT_READ = 1;
    private static final int MAP_SHARED = 1;
    private static final String UNAVAILABLE;

    static {
        String why = null;
        if (!Platform.isLinux()) {
            why = "page-cache eviction needs Linux (posix_fadvise); not available on " + System.getProperty("os.name");
        } else {
            try {
                Native.register(PageCache.class, Platform.C_LIBRARY_NAME);
            } catch (Throwable t) {
                why = "cannot bind libc: " + t.getMessage();
            }
        }
        UNAVAILABLE = why;
    }

    private PageCache() {
    }

    /**
     * Outcome of one eviction. {@code residentFractionBefore} is measured after the eviction, i.e.
     * right before the load it prepares; NaN when it could not be measured.
     */
    public record Eviction(String method, boolean verified, double residentFractionBefore, String note) {
    }

    /** Null when eviction works on this system, else the reason it does not. */
    public static String unavailableReason() {
        return UNAVAILABLE;
    }

    /** Evicts {@code file} from the page cache and measures how much of it is still resident. */
    public static Eviction evict(Path file) {
        if (UNAVAILABLE != null) {
            return new Eviction("none", false, Double.NaN, UNAVAILABLE);
        }
        int fd = open(file.toString(), O_RDONLY);
        if (fd < 0) {
            return new Eviction("none", false, Double.NaN, "cannot open " + file + " (errno " + Native.getLastError() + ")");
        }
        int rc;
        try {
            fdatasync(fd);
            rc = posix_fadvise(fd, 0, 0, POSIX_FADV_DONTNEED);
        } finally {
            close(fd);
        }
        if (rc != 0) {
            return new Eviction(METHOD, false, Double.NaN, "posix_fadvise failed with error " + rc);
        }
        double resident = residentFraction(file);
        boolean cold = !Double.isNaN(resident) && resident <= COLD_THRESHOLD;
        String note = Double.isNaN(resident) ? "mincore could not measure the resident fraction"
                : cold ? null : String.format("%.1f %% of the file stayed in the page cache (the file is memory-mapped somewhere: another process, or an unreleased mapping)", resident * 100);
        return new Eviction(METHOD, cold, resident, note);
    }

    /** Fraction of the file's pages in the page cache (0..1), via mincore; NaN when it cannot be measured. */
    public static double residentFraction(Path file) {
        if (UNAVAILABLE != null) {
            return Double.NaN;
        }
        long size;
        try {
            size = Files.size(file);
        } catch (java.io.IOException e) {
            return Double.NaN;
        }
        if (size == 0) {
            return 0.0;
        }
        int fd = open(file.toString(), O_RDONLY);
        if (fd < 0) {
            return Double.NaN;
        }
        try {
            Pointer addr = mmap(null, size, PROT_READ, MAP_SHARED, fd, 0);
            if (addr == null || Pointer.nativeValue(addr) == -1L) {
                return Double.NaN;
            }
            try {
                long page = getpagesize();
                long pages = (size + page - 1) / page;
                if (pages > Integer.MAX_VALUE) {
                    return Double.NaN;
                }
                byte[] vec = new byte[(int) pages];
                if (mincore(addr, size, vec) != 0) {
                    return Double.NaN;
                }
                long resident = 0;
                for (byte b : vec) {
                    resident += b & 1;
                }
                return (double) resident / pages;
            } finally {
                munmap(addr, size);
            }
        } finally {
            close(fd);
        }
    }

    // ---- libc ----
    private static native int open(String path, int flags);

    private static native int close(int fd);

    private static native int fdatasync(int fd);

    private static native int posix_fadvise(int fd, long offset, long len, int advice);

    private static native Pointer mmap(Pointer addr, long length, int prot, int flags, int fd, long offset);

    private static native int munmap(Pointer addr, long length);

    private static native int mincore(Pointer addr, long length, byte[] vec);

    private static native int getpagesize();
}
