using System.Collections.Concurrent;
using System.Text;
using Microsoft.ML.Tokenizers;

namespace ClassifSae.Text;

/// <summary>
/// A real pretrained BPE (tiktoken cl100k_base) whose ~100k vocabulary is compacted to the ids a corpus and
/// template actually use, so a tiny model's embedding stays small. Compact id 0 = pad / end-of-text,
/// 1 = unknown (any original id outside the compact set), then the used original ids in ascending order.
/// Segmentation is exactly the pretrained one; only the id numbering changes.
/// </summary>
public sealed class CompactTokenizer : ITextTokenizer
{
    public const string DefaultEncoding = "cl100k_base";
    public const int PadCompactId = 0;
    public const int UnknownCompactId = 1;
    private const int FirstUsedCompactId = 2;

    /// <summary>Shown by <see cref="Decode"/> for an unknown id, whose original token is not recoverable.</summary>
    public const string UnknownText = "\uFFFD";

    // Loading the 100k-entry vocabulary takes a moment; share one instance per encoding.
    private static readonly ConcurrentDictionary<string, Lazy<TiktokenTokenizer>> Bases = new(StringComparer.Ordinal);

    private readonly TiktokenTokenizer _base;
    private readonly int[] _originalIds;                 // index = compact id − 2
    private readonly Dictionary<int, int> _toCompact;   // original id → compact id

    public string EncodingName { get; }

    /// <summary>The used original ids, ascending; compact id = 2 + position in this list.</summary>
    public IReadOnlyList<int> OriginalIds => _originalIds;

    public int VocabSize => FirstUsedCompactId + _originalIds.Length;
    public int PadId => PadCompactId;
    public int UnknownId => UnknownCompactId;

    private CompactTokenizer(string encodingName, IEnumerable<int> originalIds)
    {
        EncodingName = encodingName;
        _base = BaseTokenizer(encodingName);
        _originalIds = originalIds.Distinct().Order().ToArray();
        _toCompact = new Dictionary<int, int>(_originalIds.Length);
        for (var i = 0; i < _originalIds.Length; i++)
            _toCompact[_originalIds[i]] = FirstUsedCompactId + i;
    }

    /// <summary>The shared pretrained tokenizer for an encoding name (e.g. "cl100k_base").</summary>
    public static TiktokenTokenizer BaseTokenizer(string encodingName = DefaultEncoding) =>
        Bases.GetOrAdd(encodingName, n => new Lazy<TiktokenTokenizer>(() => TiktokenTokenizer.CreateForEncoding(n))).Value;

    /// <summary>
    /// Builds the compact vocabulary from the strings the model will see. Pass the full prompts (or use the
    /// template overload) so that tokens at the text/template boundary are included. The digits "0".."9" are
    /// always included so every label token is known.
    /// </summary>
    public static CompactTokenizer Build(IEnumerable<string> texts, string encodingName = DefaultEncoding) =>
        BuildCapped(texts, encodingName, vocabLimit: 0).Tokenizer;

    /// <summary>Builds from raw corpus texts wrapped in the template (PROMPT(text); label digits are added anyway).</summary>
    public static CompactTokenizer Build(IEnumerable<string> texts, PromptTemplate template, string encodingName = DefaultEncoding) =>
        BuildCapped(texts, template, encodingName, vocabLimit: 0).Tokenizer;

    /// <summary>
    /// As <see cref="Build(IEnumerable{string}, PromptTemplate, string)"/>, with at most <paramref name="vocabLimit"/> ids (pad
    /// and unknown included; 0 = no limit): the label digits and the corpus's most frequent tokens are kept (ties: lower original
    /// id first), every other token reads as unknown. The output layer of a scratch model, and with it causal-LM pretraining's
    /// cost per position, grows with this size.
    /// </summary>
    public static (CompactTokenizer Tokenizer, VocabularyCap Cap) BuildCapped(IEnumerable<string> texts, PromptTemplate template, string encodingName, int vocabLimit)
    {
        ArgumentNullException.ThrowIfNull(template);
        return BuildCapped(texts.Select(template.Prompt), encodingName, vocabLimit);
    }

    public static (CompactTokenizer Tokenizer, VocabularyCap Cap) BuildCapped(IEnumerable<string> texts, string encodingName, int vocabLimit)
    {
        ArgumentNullException.ThrowIfNull(texts);
        var tok = BaseTokenizer(encodingName);
        var counts = new Dictionary<int, long>();
        foreach (var t in texts)
            foreach (var id in tok.EncodeToIds(t))
                counts[id] = counts.GetValueOrDefault(id) + 1;
        var labels = Enumerable.Range(0, 10).SelectMany(i => tok.EncodeToIds(PromptTemplate.LabelString(i))).ToHashSet();
        var all = counts.Keys.Union(labels).ToList();
        var total = counts.Values.Sum();
        if (vocabLimit <= 0 || FirstUsedCompactId + all.Count <= vocabLimit)
            return (new CompactTokenizer(encodingName, all), new VocabularyCap(FirstUsedCompactId + all.Count, FirstUsedCompactId + all.Count, 0, total));
        if (vocabLimit < FirstUsedCompactId + labels.Count)
            throw new ArgumentOutOfRangeException(nameof(vocabLimit), vocabLimit, $"at least {FirstUsedCompactId + labels.Count} ids are needed (pad, unknown and the label digits)");
        var kept = labels.Concat(counts.Where(c => !labels.Contains(c.Key)).OrderByDescending(c => c.Value).ThenBy(c => c.Key)
            .Take(vocabLimit - FirstUsedCompactId - labels.Count).Select(c => c.Key)).ToHashSet();
        var unknown = counts.Where(c => !kept.Contains(c.Key)).Sum(c => c.Value);
        return (new CompactTokenizer(encodingName, kept), new VocabularyCap(FirstUsedCompactId + all.Count, FirstUsedCompactId + kept.Count, unknown, total));
    }

    public int[] Encode(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var ids = _base.EncodeToIds(text);
        var result = new int[ids.Count];
        for (var i = 0; i < result.Length; i++)
            result[i] = CompactId(ids[i]);
        return result;
    }

    /// <summary>Decodes through the pretrained tokenizer. Pad ids are skipped; unknown ids show as U+FFFD.</summary>
    public string Decode(IEnumerable<int> ids)
    {
        ArgumentNullException.ThrowIfNull(ids);
        var sb = new StringBuilder();
        var run = new List<int>();
        // Decode runs of known ids together: a multi-byte character can be split across tokens.
        void Flush() { if (run.Count > 0) { sb.Append(_base.Decode(run)); run.Clear(); } }
        foreach (var id in ids)
        {
            if (id == PadCompactId) continue;
            if (id == UnknownCompactId) { Flush(); sb.Append(UnknownText); continue; }
            run.Add(OriginalId(id));
        }
        Flush();
        return sb.ToString();
    }

    public int LabelTokenId(int classIndex)
    {
        var ids = _base.EncodeToIds(PromptTemplate.LabelString(classIndex));
        if (ids.Count != 1)
            throw new InvalidOperationException($"Label \"{classIndex}\" is {ids.Count} tokens in {EncodingName}; a single token is required.");
        var id = CompactId(ids[0]);
        return id != UnknownCompactId ? id
            : throw new InvalidOperationException($"Label \"{classIndex}\" token is not in the compact vocabulary.");
    }

    /// <summary>Compact id of an original id; <see cref="UnknownId"/> when it is not in the compact set.</summary>
    public int CompactId(int originalId) => _toCompact.GetValueOrDefault(originalId, UnknownCompactId);

    /// <summary>Original id of a used compact id (not defined for pad or unknown).</summary>
    public int OriginalId(int compactId) =>
        compactId >= FirstUsedCompactId && compactId < VocabSize
            ? _originalIds[compactId - FirstUsedCompactId]
            : throw new ArgumentOutOfRangeException(nameof(compactId), compactId, $"Not a used compact id (2..{VocabSize - 1}).");

    /// <summary>Writes the vocabulary (encoding name + original ids) as JSON, atomically.</summary>
    public void Save(string path) => CompactVocabularyFile.Save(path, EncodingName, _originalIds);

    public static CompactTokenizer Load(string path)
    {
        var (encoding, ids) = CompactVocabularyFile.Load(path);
        for (var i = 0; i < ids.Count; i++)
        {
            if (ids[i] < 0)
                throw new InvalidDataException($"{path}: original id {ids[i]} is negative.");
            if (i > 0 && ids[i] <= ids[i - 1])
                throw new InvalidDataException($"{path}: original ids must be strictly ascending (at position {i}).");
        }
        return new CompactTokenizer(encoding, ids);
    }
}
