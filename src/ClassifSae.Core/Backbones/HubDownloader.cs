using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using ClassifSae.Runtime;

namespace ClassifSae.Backbones;

/// <summary>
/// Downloads a model repository's files from the Hugging Face hub (<c>$HF_ENDPOINT</c>, default
/// https://huggingface.co) into the hub cache layout, as <c>huggingface_hub</c> does: resumable
/// (<c>.incomplete</c> + HTTP Range), checked against the hub's sha256 ETag for LFS files, <c>$HF_TOKEN</c> honoured.
/// </summary>
public sealed class HubDownloader(HttpClient http, string endpoint, string cacheRoot, IProgressSink progress)
{
    public static string DefaultEndpoint =>
        (Environment.GetEnvironmentVariable("HF_ENDPOINT") is { Length: > 0 } e ? e : "https://huggingface.co").TrimEnd('/');

    public static HttpClient CreateClient()
    {
        var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = true }) { Timeout = TimeSpan.FromMinutes(30) };
        client.DefaultRequestHeaders.UserAgent.ParseAdd("classifsae/0.1");
        if (Environment.GetEnvironmentVariable("HF_TOKEN") is { Length: > 0 } token)
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    /// <summary>Downloads config.json, the weights (single file or sharded index) and tokenizer.json; returns the snapshot folder.</summary>
    public async Task<string> DownloadModelAsync(string repoId, string revision = "main", CancellationToken ct = default)
    {
        var repo = HubCache.RepoFolder(cacheRoot, repoId);
        var (_, commit) = await FetchAsync(repoId, revision, "config.json", repo, null, ct);
        var snapshot = Path.Combine(repo, "snapshots", commit);
        await FetchAsync(repoId, revision, "config.json", repo, snapshot, ct);
        if (!await TryFetchAsync(repoId, revision, "model.safetensors", repo, snapshot, ct))
        {
            if (!await TryFetchAsync(repoId, revision, "model.safetensors.index.json", repo, snapshot, ct))
                throw new FileNotFoundException($"{repoId}@{revision}: the repository has neither model.safetensors nor model.safetensors.index.json");
            var index = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(Path.Combine(snapshot, "model.safetensors.index.json")))?["weight_map"]?.AsObject()
                        ?? throw new InvalidDataException($"{repoId}: model.safetensors.index.json has no weight_map");
            foreach (var shard in index.Select(kv => kv.Value!.GetValue<string>()).Distinct())
                await FetchAsync(repoId, revision, shard, repo, snapshot, ct);
        }
        await TryFetchAsync(repoId, revision, "tokenizer.json", repo, snapshot, ct);
        Directory.CreateDirectory(Path.Combine(repo, "refs"));
        if (revision != commit) await File.WriteAllTextAsync(Path.Combine(repo, "refs", revision), commit, ct);
        return snapshot;
    }

    private async Task<bool> TryFetchAsync(string repoId, string revision, string file, string repo, string snapshot, CancellationToken ct)
    {
        try
        {
            await FetchAsync(repoId, revision, file, repo, snapshot, ct);
            return true;
        }
        catch (HubFileNotFoundException)
        {
            return false;
        }
    }

    /// <summary>Downloads one file into blobs/ (resuming a partial download) and places it in the snapshot; returns its ETag and the commit.</summary>
    private async Task<(string Etag, string Commit)> FetchAsync(string repoId, string revision, string file, string repo, string? snapshot, CancellationToken ct)
    {
        var url = $"{endpoint}/{repoId}/resolve/{Uri.EscapeDataString(revision)}/{file}";
        using var head = await http.SendAsync(new HttpRequestMessage(HttpMethod.Head, url), ct);
        if (head.StatusCode == HttpStatusCode.NotFound) throw new HubFileNotFoundException($"{url}: not found");
        if (head.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden)
            throw new UnauthorizedAccessException($"{url}: access denied ({(int)head.StatusCode}); set HF_TOKEN for gated or private models");
        head.EnsureSuccessStatusCode();
        var etag = Header(head, "X-Linked-Etag") ?? head.Headers.ETag?.Tag ?? throw new InvalidDataException($"{url}: the hub sent no ETag");
        etag = etag.Trim('"').Replace("W/", "");
        var commit = Header(head, "X-Repo-Commit") ?? revision;
        var size = head.Content.Headers.ContentLength ?? long.Parse(Header(head, "X-Linked-Size") ?? "-1");
        if (snapshot is null) return (etag, commit);

        var blob = Path.Combine(repo, "blobs", etag);
        Directory.CreateDirectory(Path.GetDirectoryName(blob)!);
        if (!File.Exists(blob))
        {
            var partial = blob + ".incomplete";
            var have = File.Exists(partial) ? new FileInfo(partial).Length : 0;
            using var request = new HttpRequestMessage(HttpMethod.Get, url);
            if (have > 0) request.Headers.Range = new RangeHeaderValue(have, null);
            using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct);
            response.EnsureSuccessStatusCode();
            if (have > 0 && response.StatusCode != HttpStatusCode.PartialContent) have = 0; // server ignored the range: start over
            await using (var output = new FileStream(partial, have > 0 ? FileMode.Append : FileMode.Create, FileAccess.Write))
            await using (var input = await response.Content.ReadAsStreamAsync(ct))
            {
                using var bar = progress.Begin($"download {repoId}/{file}", Math.Max(1, size));
                bar.Advance(have);
                var buffer = new byte[1 << 20];
                int n;
                while ((n = await input.ReadAsync(buffer, ct)) > 0)
                {
                    await output.WriteAsync(buffer.AsMemory(0, n), ct);
                    bar.Advance(n);
                }
                output.Flush(flushToDisk: true);
            }
            if (size >= 0 && new FileInfo(partial).Length != size)
                throw new IOException($"{url}: downloaded {new FileInfo(partial).Length} bytes, expected {size}; run again to resume");
            // LFS files carry their sha256 as ETag: check it, and drop a corrupt download rather than keep it.
            if (etag.Length == 64 && etag.All(Uri.IsHexDigit))
            {
                string actual;
                await using (var s = File.OpenRead(partial)) actual = Convert.ToHexStringLower(await SHA256.HashDataAsync(s, ct));
                if (!string.Equals(actual, etag, StringComparison.OrdinalIgnoreCase))
                {
                    File.Delete(partial);
                    throw new InvalidDataException($"{url}: checksum mismatch (sha256 {actual}, hub says {etag}); the partial file was removed, run again");
                }
            }
            File.Move(partial, blob, overwrite: true);
        }
        Directory.CreateDirectory(snapshot);
        File.Copy(blob, Path.Combine(snapshot, file), overwrite: true);
        return (etag, commit);
    }

    private static string? Header(HttpResponseMessage r, string name) =>
        r.Headers.TryGetValues(name, out var v) ? v.FirstOrDefault() : r.Content.Headers.TryGetValues(name, out var c) ? c.FirstOrDefault() : null;
}

public sealed class HubFileNotFoundException(string message) : FileNotFoundException(message);
