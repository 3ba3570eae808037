using ClassifSae.Backbones.Bert;
using System.Text.Json.Nodes;
using ClassifSae.Formats;
using ClassifSae.SentenceEncoders.MiniLm;
using static TorchSharp.torch;

namespace ClassifSae.Tests.SentenceEncoders;

/// <summary>
/// Writes a sentence-transformers BERT folder of random weights, laid out like all-MiniLM-L6-v2's
/// (config.json, vocab.txt, tokenizer_config.json, sentence_bert_config.json, modules.json, 1_Pooling,
/// model.safetensors with the pooler and the position_ids buffer), but 2 layers × 32 wide over 41 tokens.
/// </summary>
internal static class TinyBertFolder
{
    /// <summary>The WordPiece vocabulary; the line number is the id (tokenizer tests use the ids by hand).</summary>
    public static readonly string[] Vocab =
    [
        "[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", "the", "cat", "sat", "on", "mat", // 0-9
        ".", ",", "!", "cafe", "play", "##ing", "##ed", "un", "##believ", "##able",      // 10-19
        "$", "5", "##0", "a", "dog", "ran", "'", "s", "new", "york",                      // 20-29
        "-", "_", "中", "hello", "world", "##s", "is", "good", "stock", "market",          // 30-39
        "##ly",                                                                            // 40
    ];

    public static BertConfig Config { get; } = new()
    {
        VocabSize = Vocab.Length, HiddenSize = 32, NumLayers = 2, NumHeads = 4, IntermediateSize = 64,
        MaxPositions = 64, TypeVocabSize = 2, LayerNormEps = 1e-12,
    };

    public const int MaxSeqLength = 64;

    /// <summary>Creates the folder (parents included) and returns its path.</summary>
    public static string Create(string folder, long seed = 3, int maxSeqLength = MaxSeqLength, bool normalizeModule = true)
    {
        Directory.CreateDirectory(Path.Combine(folder, "1_Pooling"));
        File.WriteAllText(Path.Combine(folder, "config.json"), new JsonObject
        {
            ["architectures"] = new JsonArray("BertModel"), ["model_type"] = "bert", ["vocab_size"] = Config.VocabSize,
            ["hidden_size"] = Config.HiddenSize, ["num_hidden_layers"] = Config.NumLayers, ["num_attention_heads"] = Config.NumHeads,
            ["intermediate_size"] = Config.IntermediateSize, ["hidden_act"] = "gelu", ["max_position_embeddings"] = Config.MaxPositions,
            ["type_vocab_size"] = Config.TypeVocabSize, ["layer_norm_eps"] = 1e-12, ["position_embedding_type"] = "absolute",
            ["hidden_dropout_prob"] = 0.1, ["pad_token_id"] = 0,
        }.ToJsonString());
        File.WriteAllText(Path.Combine(folder, "vocab.txt"), string.Join("\n", Vocab) + "\n");
        File.WriteAllText(Path.Combine(folder, "tokenizer_config.json"), """{"do_lower_case": true, "strip_accents": null, "tokenize_chinese_chars": true, "model_max_length": 512}""");
        File.WriteAllText(Path.Combine(folder, "sentence_bert_config.json"), $$"""{"max_seq_length": {{maxSeqLength}}, "do_lower_case": false}""");
        var modules = """
            [{"idx": 0, "name": "0", "path": "", "type": "sentence_transformers.models.Transformer"},
             {"idx": 1, "name": "1", "path": "1_Pooling", "type": "sentence_transformers.models.Pooling"}
            """ + (normalizeModule ? """, {"idx": 2, "name": "2", "path": "2_Normalize", "type": "sentence_transformers.models.Normalize"}""" : "") + "]";
        File.WriteAllText(Path.Combine(folder, "modules.json"), modules);
        WritePooling(folder, meanTokens: true);
        using (NewDisposeScope())
            SafetensorsFile.Write(WeightsPath(folder), Weights(seed), new Dictionary<string, string> { ["format"] = "pt" });
        return folder;
    }

    public static void WritePooling(string folder, bool meanTokens, bool clsToken = false) =>
        File.WriteAllText(Path.Combine(folder, "1_Pooling", "config.json"),
            $$"""{"word_embedding_dimension": {{Config.HiddenSize}}, "pooling_mode_cls_token": {{(clsToken ? "true" : "false")}}, "pooling_mode_mean_tokens": {{(meanTokens ? "true" : "false")}}, "pooling_mode_max_tokens": false, "pooling_mode_mean_sqrt_len_tokens": false}""");

    public static string WeightsPath(string folder) => Path.Combine(folder, "model.safetensors");

    /// <summary>
    /// Random weights under HF names. Larger than BERT's 0.02 init, and LayerNorm gains/biases away from 1/0,
    /// so that a swapped, transposed or skipped tensor moves the embeddings far beyond float noise.
    /// </summary>
    private static Dictionary<string, Tensor> Weights(long seed)
    {
        var g = new Generator((ulong)seed);
        int d = Config.HiddenSize, ff = Config.IntermediateSize;
        var w = new Dictionary<string, Tensor>();
        void Matrix(string name, long rows, long cols, double std) => w[name] = randn(rows, cols, generator: g) * std;
        void Vector(string name, long n, double mean, double std) => w[name] = randn(n, generator: g) * std + mean;
        void Norm(string prefix)
        {
            Vector(prefix + ".weight", d, 1, 0.2);
            Vector(prefix + ".bias", d, 0, 0.1);
        }
        Matrix("embeddings.word_embeddings.weight", Config.VocabSize, d, 1);
        Matrix("embeddings.position_embeddings.weight", Config.MaxPositions, d, 0.5);
        Matrix("embeddings.token_type_embeddings.weight", Config.TypeVocabSize, d, 0.5);
        Norm("embeddings.LayerNorm");
        for (var l = 0; l < Config.NumLayers; l++)
        {
            var p = $"encoder.layer.{l}.";
            foreach (var proj in new[] { "query", "key", "value" })
            {
                Matrix(p + $"attention.self.{proj}.weight", d, d, 0.25);
                Vector(p + $"attention.self.{proj}.bias", d, 0, 0.1);
            }
            Matrix(p + "attention.output.dense.weight", d, d, 0.25);
            Vector(p + "attention.output.dense.bias", d, 0, 0.1);
            Norm(p + "attention.output.LayerNorm");
            Matrix(p + "intermediate.dense.weight", ff, d, 0.25);
            Vector(p + "intermediate.dense.bias", ff, 0, 0.1);
            Matrix(p + "output.dense.weight", d, ff, 0.2);
            Vector(p + "output.dense.bias", d, 0, 0.1);
            Norm(p + "output.LayerNorm");
        }
        // Present in the real checkpoint, unused by sentence-transformers: must be skipped, not rejected.
        Matrix("pooler.dense.weight", d, d, 0.25);
        Vector("pooler.dense.bias", d, 0, 0.1);
        w["embeddings.position_ids"] = arange(Config.MaxPositions, dtype: ScalarType.Int64).unsqueeze(0);
        return w;
    }
}
