package dev.minillm.results;

/** The first prompt and its greedy continuation, as a sanity check a person can read. */
public record Sample(String prompt, String output) {
}
