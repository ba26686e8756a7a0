package dev.minillm.download;

/**
 * One file to fetch: {@code <base>/<repo>/resolve/<revision>/<repoPath>} (or {@code url} when set, for
 * data outside the hub; it then also stands in for the repo in the lock file) lands in
 * {@code <models-dir>/<dir>/<file>}. {@code repoPath}, the file's path inside the repo, is
 * {@code file} unless the manifest names another (e.g. {@code tinyllamas/stories260K.gguf}). For a
 * zip with {@code extract} set, the named member is also unpacked next to it.
 */
public record DownloadItem(String dir, String label, String repo, String revision, String file, Long size,
                           String sha256, Double approxMb, String extract, String url, String repoPath) {

    /** An item on the hub whose path in the repo is its file name. */
    public DownloadItem(String dir, String label, String repo, String revision, String file, Long size,
                        String sha256, Double approxMb, String extract) {
        this(dir, label, repo, revision, file, size, sha256, approxMb, extract, null, file);
    }

    public DownloadItem(String dir, String label, String repo, String revision, String file, Long size,
                        String sha256, Double approxMb, String extract, String url) {
        this(dir, label, repo, revision, file, size, sha256, approxMb, extract, url, file);
    }

    public static DownloadItem of(Manifest.Model m, Manifest.FileEntry f) {
        return new DownloadItem(m.id(), m.id() + " " + f.quant(), m.repo(), f.revision(), f.file(), f.size(),
                f.sha256(), f.approxMb(), null, null, f.file());
    }

    public static DownloadItem of(Manifest.Dataset d) {
        return new DownloadItem(d.id(), d.id(), d.repo() != null ? d.repo() : d.url(), d.revision(), d.file(), d.size(),
                d.sha256(), d.approxMb(), d.extract(), d.url(), d.path() != null ? d.path() : d.file());
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
        return repo + "/resolve/" + revision + "/" + repoPath;
    }
}
