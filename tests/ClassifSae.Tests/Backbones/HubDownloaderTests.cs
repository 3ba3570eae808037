using System.Net;
using System.Security.Cryptography;
using ClassifSae.Backbones;
using ClassifSae.Backbones.GptNeoX;
using ClassifSae.Runtime;

namespace ClassifSae.Tests.Backbones;

/// <summary>The hub download path against a local HTTP server that serves the hub's URL layout and headers.</summary>
public sealed class HubDownloaderTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("hub-").FullName;
    private readonly HttpListener _listener = new();
    private readonly Dictionary<string, byte[]> _files = new();
    private readonly List<string> _ranges = [];
    private readonly string _endpoint;
    private bool _corrupt;

    public HubDownloaderTests()
    {
        var port = Random.Shared.Next(20000, 60000);
        _endpoint = $"http://127.0.0.1:{port}";
        _listener.Prefixes.Add(_endpoint + "/");
        _listener.Start();
        _ = Task.Run(Serve);
    }

    public void Dispose()
    {
        _listener.Close();
        Directory.Delete(_dir, recursive: true);
    }

    private async Task Serve()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext ctx;
            try { ctx = await _listener.GetContextAsync(); }
            catch (Exception) { return; }
            // /{org}/{name}/resolve/{rev}/{file}
            var parts = ctx.Request.Url!.AbsolutePath.Trim('/').Split('/');
            var file = string.Join('/', parts[4..]);
            if (ctx.Request.Headers["Authorization"] != "Bearer secret-token" || !_files.TryGetValue(file, out var body))
            {
                ctx.Response.StatusCode = _files.ContainsKey(file) ? 401 : 404;
                ctx.Response.Close();
                continue;
            }
            var sha = Convert.ToHexStringLower(SHA256.HashData(body));
            ctx.Response.AddHeader("X-Repo-Commit", "0123abcd");
            ctx.Response.AddHeader("X-Linked-Etag", $"\"{sha}\"");
            var range = ctx.Request.Headers["Range"];
            var start = 0;
            if (range is not null)
            {
                lock (_ranges) _ranges.Add(range);
                start = int.Parse(range["bytes=".Length..].TrimEnd('-'));
                ctx.Response.StatusCode = 206;
            }
            var payload = body[start..];
            if (_corrupt && file.EndsWith(".safetensors")) payload = payload.Select(b => (byte)(b ^ 0xFF)).ToArray();
            ctx.Response.ContentLength64 = ctx.Request.HttpMethod == "HEAD" ? body.Length : payload.Length;
            if (ctx.Request.HttpMethod != "HEAD") await ctx.Response.OutputStream.WriteAsync(payload);
            ctx.Response.Close();
        }
    }

    private void PublishTinyModel()
    {
        using var model = TinyGptNeoX.Create();
        var folder = Path.Combine(_dir, "src");
        GptNeoXCheckpoint.Save(model, folder);
        foreach (var f in Directory.GetFiles(folder)) _files[Path.GetFileName(f)] = File.ReadAllBytes(f);
    }

    private HubDownloader Downloader(string cache)
    {
        var http = HubDownloader.CreateClient();
        http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", "secret-token");
        return new HubDownloader(http, _endpoint, cache, SilentProgress.Instance);
    }

    [Fact]
    public async Task Downloads_into_the_hub_cache_layout_and_the_resolver_then_finds_it()
    {
        PublishTinyModel();
        var cache = Path.Combine(_dir, "cache");
        var snapshot = await Downloader(cache).DownloadModelAsync("EleutherAI/tiny");
        Assert.Equal(Path.Combine(cache, "models--EleutherAI--tiny", "snapshots", "0123abcd"), snapshot);
        Assert.Equal("0123abcd", File.ReadAllText(Path.Combine(cache, "models--EleutherAI--tiny", "refs", "main")));
        Assert.Equal(_files["model.safetensors"], File.ReadAllBytes(Path.Combine(snapshot, "model.safetensors")));
        Assert.Equal(snapshot, HubCache.FindSnapshot(cache, "EleutherAI/tiny"));
        using var loaded = GptNeoXCheckpoint.Load(snapshot);
        Assert.Equal(3, loaded.Config.NumLayers);
    }

    [Fact]
    public async Task A_partial_download_is_resumed_with_a_range_request()
    {
        PublishTinyModel();
        var cache = Path.Combine(_dir, "cache");
        var weights = _files["model.safetensors"];
        var sha = Convert.ToHexStringLower(SHA256.HashData(weights));
        var blobs = Path.Combine(cache, "models--EleutherAI--tiny", "blobs");
        Directory.CreateDirectory(blobs);
        File.WriteAllBytes(Path.Combine(blobs, sha + ".incomplete"), weights[..100]);
        var snapshot = await Downloader(cache).DownloadModelAsync("EleutherAI/tiny");
        Assert.Contains("bytes=100-", _ranges);
        Assert.Equal(weights, File.ReadAllBytes(Path.Combine(snapshot, "model.safetensors")));
    }

    [Fact]
    public async Task A_corrupted_download_fails_its_checksum_and_is_not_kept()
    {
        PublishTinyModel();
        _corrupt = true;
        var cache = Path.Combine(_dir, "cache");
        var e = await Assert.ThrowsAsync<InvalidDataException>(() => Downloader(cache).DownloadModelAsync("EleutherAI/tiny"));
        Assert.Contains("checksum mismatch", e.Message);
        Assert.Empty(Directory.GetFiles(Path.Combine(cache, "models--EleutherAI--tiny", "blobs"), "*.incomplete"));
        Assert.Null(HubCache.FindSnapshot(cache, "EleutherAI/tiny"));
    }

    [Fact]
    public async Task A_missing_token_for_a_gated_model_says_to_set_HF_TOKEN()
    {
        PublishTinyModel();
        var http = HubDownloader.CreateClient();
        http.DefaultRequestHeaders.Authorization = null;
        var e = await Assert.ThrowsAsync<UnauthorizedAccessException>(() =>
            new HubDownloader(http, _endpoint, Path.Combine(_dir, "c"), SilentProgress.Instance).DownloadModelAsync("EleutherAI/tiny"));
        Assert.Contains("HF_TOKEN", e.Message);
    }
}
