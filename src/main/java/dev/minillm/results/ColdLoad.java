package dev.minillm.results;

/**
 * How the cold loads were made cold: the page-cache eviction and its check.
 *
 * @param verified               every eviction left the file non-resident (checked by {@code verifiedBy})
 * @param residentFractionBefore the largest fraction of the file still cached before a cold load
 */
public record ColdLoad(String method, Boolean verified, Double residentFractionBefore, String verifiedBy, String note) {
}
