using ClassifSae.Formats;
using static TorchSharp.torch;

namespace ClassifSae.Concepts.Sae;

/// <summary>
/// The original training-time loader over the activation cache (spec 01 §3.7): files 0.safetensors, 1.safetensors, …
/// (tensor "activations" [R,1,d_in+1], last column = predicted label) are read in index order, wrapping to file 0,
/// in contiguous reads of <c>rowsPerRead</c> rows (half a file with the paper's sizes). A storage buffer S is filled
/// by the first read; whenever the loader runs dry, M = shuffle(concat(new read, S)), S ← first half of M and the
/// second half is served as full batches in a fresh random order. Keeps the label drift of label-sorted IMDB files,
/// which an i.i.d. sampler would remove. The within-file offset is the corrected one (spec §3.14.4).
/// </summary>
public sealed class CachedActivationBatches : IActivationBatches, IDisposable
{
    private readonly string _folder;
    private readonly int _rowsPerRead;
    private readonly Generator _generator;
    private Tensor? _file;
    private int _fileIndex;
    private long _offset;
    private Tensor? _storage;
    private Tensor? _serving;
    private long[] _servingOrder = [];
    private int _servingPosition;

    /// <summary>Rows per read: store_batch_size_prompts · (n_batches_in_buffer // 2), e.g. 4·3000 = 12 000 for AG News.</summary>
    public static int RowsPerRead(int nBatchesInBuffer, int storeBatchSizePrompts = 4) => storeBatchSizePrompts * (nBatchesInBuffer / 2);

    public CachedActivationBatches(string folder, int dIn, int batchSize, int rowsPerRead, long seed)
    {
        if (!File.Exists(FilePath(folder, 0))) throw new FileNotFoundException($"{folder}: activation cache has no 0.safetensors", FilePath(folder, 0));
        if (batchSize <= 0 || rowsPerRead < batchSize)
            throw new ArgumentException($"need 0 < batch size ({batchSize}) ≤ rows per read ({rowsPerRead})");
        _folder = folder;
        _rowsPerRead = rowsPerRead;
        _generator = new Generator((ulong)seed);
        DIn = dIn;
        BatchSize = batchSize;
    }

    public int DIn { get; }
    public int BatchSize { get; }

    /// <summary>Shard files loaded so far (a file is released before the next is read, so at most one is held).</summary>
    public int ShardsLoaded { get; private set; }

    /// <summary>
    /// The most rows the loader has held at once, measured where it peaks (a file just loaded next to the buffers, and a
    /// refill's new read, mix and halves): bounded by the read size and one shard, not by the cache's size.
    /// </summary>
    public long MaxResidentRows { get; private set; }

    public ActivationBatch Next()
    {
        if (_servingPosition + BatchSize > _servingOrder.Length) Refill();
        using var idx = tensor(_servingOrder.AsSpan(_servingPosition, BatchSize).ToArray());
        _servingPosition += BatchSize;
        var rows = _serving!.index_select(0, idx);
        return new ActivationBatch(rows.narrow(1, 0, DIn).contiguous(), rows.select(1, DIn).to(ScalarType.Int64));
    }

    private void Refill()
    {
        using var scope = NewDisposeScope();
        _storage ??= ReadRows().DetachFromDisposeScope();
        var read = ReadRows();
        var joined = cat([read, _storage]);
        var mixed = joined.index_select(0, randperm(joined.shape[0], generator: _generator));
        NoteResident(read, joined, mixed, _storage, _serving, _file);
        _storage.Dispose();
        _storage = mixed.narrow(0, 0, _rowsPerRead).clone().DetachFromDisposeScope();
        _serving?.Dispose();
        _serving = mixed.narrow(0, _rowsPerRead, _rowsPerRead).clone().DetachFromDisposeScope();
        var full = _rowsPerRead / BatchSize * BatchSize; // batches are always full; a remainder is dropped
        _servingOrder = randperm(_rowsPerRead, generator: _generator).data<long>().ToArray()[..full];
        _servingPosition = 0;
    }

    /// <summary>The next <c>rowsPerRead</c> rows [rows, d_in+1], continuing across files and wrapping to file 0.</summary>
    private Tensor ReadRows()
    {
        var parts = new List<Tensor>();
        long filled = 0;
        while (filled < _rowsPerRead)
        {
            var file = CurrentFile();
            var take = Math.Min(_rowsPerRead - filled, file.shape[0] - _offset);
            parts.Add(file.narrow(0, _offset, take));
            filled += take;
            _offset += take;
            if (_offset == file.shape[0]) NextFile();
        }
        return cat(parts);
    }

    private Tensor CurrentFile()
    {
        if (_file is not null) return _file;
        var path = FilePath(_folder, _fileIndex);
        var tensors = SafetensorsFile.Read(path);
        if (!tensors.Remove("activations", out var t))
        {
            foreach (var other in tensors.Values) other.Dispose();
            throw new InvalidDataException($"{path}: no tensor 'activations'");
        }
        foreach (var other in tensors.Values) other.Dispose();
        if (t.dtype != ScalarType.Float32 || t.dim() != 3 || t.shape[1] != 1 || t.shape[2] != DIn + 1 || t.shape[0] == 0)
        {
            var found = $"{t.dtype} [{string.Join(",", t.shape)}]";
            t.Dispose();
            throw new InvalidDataException($"{path}: 'activations' must be Float32 [R,1,{DIn + 1}] with R > 0, got {found}");
        }
        try { FiniteTensors.Require(t, path, "activations", Caching.ActivationShards.CorruptShard); }
        catch { t.Dispose(); throw; }
        _file = t.squeeze(1).DetachFromDisposeScope();
        t.Dispose();
        ShardsLoaded++;
        NoteResident(_file, _storage, _serving);
        return _file;
    }

    private void NextFile()
    {
        _file?.Dispose();
        _file = null;
        _offset = 0;
        _fileIndex = File.Exists(FilePath(_folder, _fileIndex + 1)) ? _fileIndex + 1 : 0;
    }

    private void NoteResident(params Tensor?[] held) =>
        MaxResidentRows = Math.Max(MaxResidentRows, held.Sum(t => t is null ? 0 : t.shape[0]));

    private static string FilePath(string folder, int index) => Path.Combine(folder, $"{index}.safetensors");

    public void Dispose()
    {
        _file?.Dispose();
        _storage?.Dispose();
        _serving?.Dispose();
        _generator.Dispose();
    }
}
