package dev.minillm.results;

import dev.minillm.metrics.HardwareSnapshot;

/**
 * The machine and software a result was measured on.
 *
 * @param memoryBandwidth the run's memory read-bandwidth probe (the roofline's numerator); null when not measured
 */
public record Hardware(String cpuModel, Integer physicalCores, Integer logicalCores, Long ramBytes, String os,
                       String jvm, String nativeBuild, String systemInfo, String gpuBackend, String hostname,
                       MemoryBandwidth memoryBandwidth) {

    /** One measured read bandwidth and how it was measured. */
    public record MemoryBandwidth(Double bytesPerS, Double medianBytesPerS, Integer threads, Long bufferBytes,
                                  Integer passes, Double seconds, String method, String measuredBy) {
    }

    public static Hardware of(HardwareSnapshot h) {
        return new Hardware(h.cpuModel(), h.physicalCores(), h.logicalCores(), h.ramBytes(), h.os(), h.jvm(),
                h.nativeBuild(), h.systemInfo(), h.gpuBackend(), h.hostname(), null);
    }

    public Hardware withMemoryBandwidth(MemoryBandwidth b) {
        return new Hardware(cpuModel, physicalCores, logicalCores, ramBytes, os, jvm, nativeBuild, systemInfo,
                gpuBackend, hostname, b);
    }

    /** Bytes per second read, or null when not measured. */
    public Double bandwidthBytesPerS() {
        return memoryBandwidth == null ? null : memoryBandwidth.bytesPerS();
    }

    /** The identity used to tell machines apart in a merged report. */
    public String machineKey() {
        return (hostname == null ? "?" : hostname) + " | " + (cpuModel == null ? "?" : cpuModel);
    }
}
