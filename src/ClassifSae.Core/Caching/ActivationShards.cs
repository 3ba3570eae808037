using System.Security.Cryptography;
using ClassifSae.Formats;
using static TorchSharp.torch;

namespace ClassifSae.Caching;

/// <summary>
/// The activation cache on disk, in the original's layout so its Python readers work on it:
/// <c>activations/{i}.safetensors</c> holds one tensor <c>activations</c> [R, 1, D+1] (fp32; last column =
/// the LLM's predicted label). Since the original keeps nothing else, the link back to sentences lives in a
/// sibling folder, <c>rows/{i}.safetensors</c>: <c>sentence_index</c>, <c>true_label</c> (int64) and, when
/// given, <c>label_logits</c> [R, K].
/// </summary>
public static class ActivationShards
{
    public const string ActivationsFolder = "activations";
    public const string RowsFolder = "rows";

    /// <summary>Why a shard can hold non-finite values, and the fix.</summary>
    public const string CorruptShard = "the shard is corrupt; rerun the Cache stage with --force";

    public sealed record ShardInfo(string File, int Rows, string Sha256);

    /// <summary>Writes the split as shards of <paramref name="rowsPerShard"/> rows; rows within a shard are permuted when <paramref name="shuffleSeed"/> is given (as the original does for training).</summary>
    /// <remarks>For a split already in memory; the Cache stage streams its rows through <see cref="ActivationShardWriter"/> instead.</remarks>
    public static List<ShardInfo> Write(string folder, CachedSplit split, int rowsPerShard, long? shuffleSeed)
    {
        if (split.Count == 0) throw new ArgumentException("cannot cache an empty split");
        using var writer = new ActivationShardWriter(folder, rowsPerShard, shuffleSeed);
        for (var start = 0; start < split.Count; start += rowsPerShard)
        {
            using var scope = NewDisposeScope();
            var n = Math.Min(rowsPerShard, split.Count - start);
            writer.Append(split.Hidden.narrow(0, start, n), split.Predicted[start..(start + n)], split.SentenceIndex[start..(start + n)],
                split.TrueLabel[start..(start + n)], split.LabelLogits?.narrow(0, start, n));
        }
        return writer.Complete().ToList();
    }

    /// <summary>
    /// The LLM's predicted labels (the shards' last column) and the state width, read one shard at a time: what a method
    /// that streams its states from the shards needs up front, without holding the split.
    /// </summary>
    public static (long[] Predicted, int DIn) ReadLabels(string folder)
    {
        var predicted = new List<long>();
        var dIn = 0;
        foreach (var (file, _) in ShardFiles(folder))
        {
            using var scope = NewDisposeScope();
            var a = ActivationsOf(file);
            dIn = (int)a.size(2) - 1;
            predicted.AddRange(a[.., 0, -1].to(ScalarType.Int64).data<long>().ToArray());
        }
        return (predicted.ToArray(), dIn);
    }

    /// <summary>Rows of shard 0: the shard size of a cache without <see cref="ShardIndex"/> (every shard but the last is full).</summary>
    public static int FirstShardRows(string folder)
    {
        using var scope = NewDisposeScope();
        return (int)ActivationsOf(ShardFiles(folder)[0].File).size(0);
    }

    private static List<(string File, int Index)> ShardFiles(string folder)
    {
        var actDir = Path.Combine(folder, ActivationsFolder);
        if (!Directory.Exists(actDir)) throw new DirectoryNotFoundException($"{actDir}: activation cache not found (run the Cache stage first)");
        var files = Directory.GetFiles(actDir, "*.safetensors")
            .Select(f => (File: f, Index: int.TryParse(Path.GetFileNameWithoutExtension(f), out var k) ? k : -1))
            .Where(f => f.Index >= 0).OrderBy(f => f.Index).ToList();
        if (files.Count == 0) throw new InvalidDataException($"{actDir}: no shards");
        return files;
    }

    private static Tensor ActivationsOf(string file)
    {
        var act = SafetensorsFile.Read(file);
        if (!act.TryGetValue("activations", out var a) || a.dim() != 3 || a.size(1) != 1)
        {
            foreach (var t in act.Values) t.Dispose();
            throw new InvalidDataException($"{file}: expected a tensor 'activations' of shape [R, 1, D+1]");
        }
        try { FiniteTensors.Require(a, file, "activations", CorruptShard); }
        catch { a.Dispose(); throw; }
        return a;
    }

    /// <summary>Reads every shard back in index order; fails clearly on a missing, corrupted or inconsistent shard.</summary>
    public static CachedSplit Read(string folder)
    {
        var files = ShardFiles(folder);
        var hidden = new List<Tensor>();
        var logits = new List<Tensor>();
        var predicted = new List<long>();
        var sentence = new List<long>();
        var truth = new List<long>();
        try
        {
            foreach (var (file, index) in files)
            {
                var a = ActivationsOf(file);
                var rowsFile = Path.Combine(folder, RowsFolder, $"{index}.safetensors");
                var meta = SafetensorsFile.Read(rowsFile);
                var r = a.size(0);
                foreach (var key in new[] { "sentence_index", "true_label" })
                    if (!meta.TryGetValue(key, out var m) || m.size(0) != r)
                        throw new InvalidDataException($"{rowsFile}: expected '{key}' with {r} rows");
                var flat = a.squeeze(1);
                hidden.Add(flat[.., ..^1].contiguous());
                predicted.AddRange(flat[.., -1].to(ScalarType.Int64).data<long>().ToArray());
                sentence.AddRange(meta["sentence_index"].data<long>().ToArray());
                truth.AddRange(meta["true_label"].data<long>().ToArray());
                if (meta.TryGetValue("label_logits", out var l))
                {
                    logits.Add(l);
                    FiniteTensors.Require(l, rowsFile, "label_logits", CorruptShard);
                }
            }
            var result = new CachedSplit(cat(hidden, 0), predicted.ToArray(), sentence.ToArray(), truth.ToArray(),
                logits.Count == files.Count ? cat(logits, 0) : null);
            return result;
        }
        finally
        {
            foreach (var t in hidden.Concat(logits)) t.Dispose();
        }
    }

    public static string Sha256(string path)
    {
        using var s = File.OpenRead(path);
        return Convert.ToHexStringLower(SHA256.HashData(s));
    }
}
