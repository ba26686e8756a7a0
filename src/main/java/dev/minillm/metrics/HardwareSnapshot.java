package dev.minillm.metrics;

import java.net.InetAddress;
import oshi.SystemInfo;
import oshi.hardware.CentralProcessor;
import oshi.software.os.OperatingSystem;

/**
 * The machine and software a result was measured on (OSHI), plus the native build facts the
 * caller passes in (metrics does not know the native layer).
 */
public record HardwareSnapshot(String cpuModel, int physicalCores, int logicalCores, long ramBytes, String os,
                               String jvm, String nativeBuild, String systemInfo, String gpuBackend,
                               String hostname) {

    public static HardwareSnapshot capture(String nativeBuild, String systemInfo, String gpuBackend) {
        SystemInfo si = new SystemInfo();
        CentralProcessor cpu = si.getHardware().getProcessor();
        OperatingSystem os = si.getOperatingSystem();
        String osText = os.getFamily() + " " + os.getVersionInfo().getVersion()
                + " (" + System.getProperty("os.name") + " " + System.getProperty("os.version") + " " + System.getProperty("os.arch") + ")";
        String jvm = System.getProperty("java.runtime.version", System.getProperty("java.version"))
                + " (" + System.getProperty("java.vm.vendor", "?") + ")";
        return new HardwareSnapshot(cpu.getProcessorIdentifier().getName().strip(), cpu.getPhysicalProcessorCount(),
                cpu.getLogicalProcessorCount(), si.getHardware().getMemory().getTotal(), osText, jvm, nativeBuild,
                systemInfo == null ? null : systemInfo.strip(), gpuBackend, localHostname());
    }

    /** Physical cores, the default thread count (llama.cpp decodes fastest at one thread per core). */
    public static int defaultThreads() {
        int n = new SystemInfo().getHardware().getProcessor().getPhysicalProcessorCount();
        return n > 0 ? n : Math.max(1, Runtime.getRuntime().availableProcessors());
    }

    /** The 1-minute load average, or a negative value where the OS does not report one. */
    public static double loadAverage() {
        double[] load = new SystemInfo().getHardware().getProcessor().getSystemLoadAverage(1);
        return load.length > 0 ? load[0] : -1;
    }

    /**
     * How many cores other processes keep busy right now: all CPU time the system spent during
     * {@code millis} minus this process's own, in cores. Unlike the load average it does not
     * remember minillm's own work of the last minute (writing and quantizing the default family).
     * Negative where the system does not report CPU ticks.
     */
    public static double othersBusyCores(long millis) {
        CentralProcessor cpu = new SystemInfo().getHardware().getProcessor();
        var os = (com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean();
        long[] ticks = cpu.getSystemCpuLoadTicks();
        long ownBefore = os.getProcessCpuTime();
        long t0 = System.nanoTime();
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
        double wall = System.nanoTime() - t0;
        double total = cpu.getSystemCpuLoadBetweenTicks(ticks);
        long ownAfter = os.getProcessCpuTime();
        if (total < 0 || ownBefore < 0 || ownAfter < 0) {
            return -1;
        }
        double ownCores = (ownAfter - ownBefore) / wall;
        return Math.max(0, total * cpu.getLogicalProcessorCount() - ownCores);
    }

    public static String localHostname() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (Exception e) {
            return System.getenv().getOrDefault("HOSTNAME", "unknown");
        }
    }
}
