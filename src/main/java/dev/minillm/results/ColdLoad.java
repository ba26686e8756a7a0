package dev.minillm.results;

/**
 * How the cold loads were made cold: the page-cache eviction and its check.
 *
 * @param verified               every eviction left the file non-resident (checked by {@code verifiedBy})
 * @param residentFractionBefore the largest fraction of the file still cached before a cold load
 * @param evicted                what a cold load starts without (the file's pages; on a GPU also the device copy)
 */
public record ColdLoad(String method, Boolean verified, Double residentFractionBefore, String verifiedBy, String note,
                       String evicted) {
}
