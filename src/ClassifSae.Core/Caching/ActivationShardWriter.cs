using ClassifSae.Formats;
using static TorchSharp.torch;

namespace ClassifSae.Caching;

/// <summary>
/// Writes a split to activation shards as its rows arrive (<see cref="ActivationShards"/> layout): rows are buffered until
/// a shard's <c>rowsPerShard</c> are there, and that shard is written before <see cref="Append"/> returns, so the writer never
/// holds more than one shard of rows whatever the split's size (<see cref="MaxBufferedRows"/> records it). Shard i holds
/// appended rows [i·R, (i+1)·R), permuted within the shard when a shuffle seed is given, with the same permutations as
/// writing the whole split at once.
/// </summary>
public sealed class ActivationShardWriter : IDisposable
{
    private readonly string _folder;
    private readonly int _rowsPerShard;
    private readonly Random? _random;
    private readonly List<Tensor> _hidden = [];
    private readonly List<Tensor> _logits = [];
    private readonly List<long> _predicted = [], _sentence = [], _truth = [];
    private readonly List<ActivationShards.ShardInfo> _shards = [];
    private bool? _withLogits;

    public ActivationShardWriter(string folder, int rowsPerShard, long? shuffleSeed)
    {
        if (rowsPerShard <= 0) throw new ArgumentException($"rows per shard must be positive, got {rowsPerShard}");
        _folder = folder;
        _rowsPerShard = rowsPerShard;
        _random = shuffleSeed is long s ? new Random(unchecked((int)s)) : null;
        Directory.CreateDirectory(Path.Combine(folder, ActivationShards.ActivationsFolder));
        Directory.CreateDirectory(Path.Combine(folder, ActivationShards.RowsFolder));
    }

    /// <summary>Rows waiting for their shard (always fewer than rows per shard between calls).</summary>
    public int BufferedRows => _predicted.Count;

    /// <summary>The most rows the writer has held at once: at most rows per shard, whatever was appended.</summary>
    public int MaxBufferedRows { get; private set; }

    public IReadOnlyList<ActivationShards.ShardInfo> Shards => _shards;

    /// <summary>Appends rows [n, D] with their labels (and label logits [n, K], for all rows or none); writes every shard that fills up.</summary>
    public void Append(Tensor hidden, IReadOnlyList<long> predicted, IReadOnlyList<long> sentenceIndex, IReadOnlyList<long> trueLabel, Tensor? labelLogits)
    {
        var n = (int)hidden.size(0);
        if (predicted.Count != n || sentenceIndex.Count != n || trueLabel.Count != n || (labelLogits is not null && labelLogits.size(0) != n))
            throw new ArgumentException($"row-aligned inputs expected: {n} hidden rows");
        if (_withLogits is bool w && w != labelLogits is not null) throw new ArgumentException("label logits must be given for every batch or for none");
        _withLogits = labelLogits is not null;
        // A NaN state would be cached, trained on and evaluated without a word; stop at the shard it would land in.
        var shardFile = Path.Combine(_folder, ActivationShards.ActivationsFolder, $"{_shards.Count}.safetensors");
        const string refused = "the backbone's forward produced them (check its weights); nothing of this shard was cached";
        FiniteTensors.Require(hidden, shardFile, "activations", refused);
        if (labelLogits is not null) FiniteTensors.Require(labelLogits, Path.Combine(_folder, ActivationShards.RowsFolder, $"{_shards.Count}.safetensors"), "label_logits", refused);
        using var scope = NewDisposeScope();
        for (var start = 0; start < n;)
        {
            // Take only what completes the current shard, so the buffer never exceeds one shard.
            var take = Math.Min(n - start, _rowsPerShard - BufferedRows);
            _hidden.Add(hidden.narrow(0, start, take).detach().cpu().clone().DetachFromDisposeScope());
            if (labelLogits is not null) _logits.Add(labelLogits.narrow(0, start, take).detach().cpu().clone().DetachFromDisposeScope());
            for (var i = start; i < start + take; i++)
            {
                _predicted.Add(predicted[i]);
                _sentence.Add(sentenceIndex[i]);
                _truth.Add(trueLabel[i]);
            }
            MaxBufferedRows = Math.Max(MaxBufferedRows, BufferedRows);
            start += take;
            if (BufferedRows == _rowsPerShard) Flush();
        }
    }

    /// <summary>Writes the last, partial shard and the split's <c>shards.json</c> (the shard size readers need); returns every shard written.</summary>
    public IReadOnlyList<ActivationShards.ShardInfo> Complete()
    {
        if (BufferedRows > 0) Flush();
        if (_shards.Count == 0) throw new ArgumentException("cannot cache an empty split");
        ShardIndex.Write(_folder, new ShardIndex(_rowsPerShard, _shards));
        return _shards;
    }

    private void Flush()
    {
        var rows = Enumerable.Range(0, BufferedRows).ToArray();
        _random?.Shuffle(rows);
        var i = _shards.Count;
        using (var scope = NewDisposeScope())
        {
            using var idx = tensor(rows.Select(r => (long)r).ToArray());
            var h = cat(_hidden, 0).index_select(0, idx);
            var label = tensor(rows.Select(r => (float)_predicted[r]).ToArray()).unsqueeze(1);
            var actPath = Path.Combine(_folder, ActivationShards.ActivationsFolder, $"{i}.safetensors");
            SafetensorsFile.Write(actPath, new Dictionary<string, Tensor> { ["activations"] = cat([h, label], dim: 1).unsqueeze(1) });
            var meta = new Dictionary<string, Tensor>
            {
                ["sentence_index"] = tensor(rows.Select(r => _sentence[r]).ToArray()),
                ["true_label"] = tensor(rows.Select(r => _truth[r]).ToArray()),
            };
            if (_logits.Count > 0) meta["label_logits"] = cat(_logits, 0).index_select(0, idx);
            SafetensorsFile.Write(Path.Combine(_folder, ActivationShards.RowsFolder, $"{i}.safetensors"), meta);
            _shards.Add(new ActivationShards.ShardInfo(Path.GetRelativePath(_folder, actPath), rows.Length, ActivationShards.Sha256(actPath)));
        }
        Clear();
    }

    private void Clear()
    {
        foreach (var t in _hidden.Concat(_logits)) t.Dispose();
        _hidden.Clear();
        _logits.Clear();
        _predicted.Clear();
        _sentence.Clear();
        _truth.Clear();
    }

    public void Dispose() => Clear();
}
