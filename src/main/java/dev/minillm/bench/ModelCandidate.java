package dev.minillm.bench;

import java.nio.file.Path;

/**
 * One validated model file to benchmark.
 *
 * @param family       model family: directory under models/ or the file name minus the quantization
 * @param variant      upper-case llama.cpp file type (F16, Q4_K_M, ...)
 * @param architecture general.architecture, or null when unknown
 * @param synthetic    random weights made by minillm (speed and memory real, quality n/a)
 */
public record ModelCandidate(String family, String variant, Path path, String architecture, boolean synthetic,
                             long nParams, long fileSizeBytes, double bitsPerWeight) {
}
