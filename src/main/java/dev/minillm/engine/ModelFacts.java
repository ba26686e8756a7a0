package dev.minillm.engine;

/** What llama.cpp itself reports about a loaded model. */
public record ModelFacts(String description, long parameterCount, long tensorBytes, int layers, int embedding,
                         int contextTrain, int vocabulary) {
}
