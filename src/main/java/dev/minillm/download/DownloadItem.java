package dev.minillm.download;

/**
 * One file to fetch: {@code <base>/<repo>/resolve/<revision>/<file>} (or {@code url} when set, for
 * data outside the hub; it then also stands in for the repo in the lock file) lands in
 * {@code <models-dir>/<dir>/<file>}. For a zip with {@code extract} set, the named member is
 * also unpacked next to it.
 */
public record DownloadItem(String dir, String label, String repo, String revision, String file, Long size,
                           String sha256, Double approxMb, String extract, String url) {

    public DownloadItem(String dir, String label, String repo, String revision, String file, Long size,
                        String sha256, Double approxMb, String extract) {
        this(dir, label, repo, revision, file, size, sha256, approxMb, extract, null);
    }


    public static DownloadItem of(Manifest.Model m, Manifest.FileEntry f) {
        return new DownloadItem(m.id(), m.id() + " " + f.quant(), m.repo(), f.revision(), f.file(), f.size(),
                f.sha256(), f.approxMb(), null);
    }

    public static DownloadItem of(Manifest.Dataset d) {
        return new DownloadItem(d.id(), d.id(), d.repo() != null ? d.repo() : d.url(), d.revision(), d.file(), d.size(),
                d.sha256(), d.approxMb(), d.extract(), d.url());
    }

    /** Key in the lock file and path under the models directory, always with '/'. */
    public String relativePath() {
        return dir + "/" + file;
    }

    /** File name the extracted member is written to, or null. */
    public String extractedName() {
        return extract == null ? null : extract.substring(extract.lastIndexOf('/') + 1);
    }

    /** Path part of the URL after the base, e.g. {@code Qwen/X-GGUF/resolve/main/x.gguf}. */
    public String urlPath() {
        return repo + "/resolve/" + revision + "/" + file;
    }
}
