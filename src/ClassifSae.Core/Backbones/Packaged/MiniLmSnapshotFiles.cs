namespace ClassifSae.Backbones.Packaged;

/// <summary>
/// The small files of the all-MiniLM-L6-v2 snapshot besides its weights and vocabulary: the values the published repository's
/// config.json, tokenizer and sentence-transformers files hold (BertModel 6×384, 12 heads; uncased WordPiece; max_seq_length 256;
/// mean pooling then Normalize).
/// </summary>
public static class MiniLmSnapshotFiles
{
    public const string Weights = "model.safetensors";
    public const string Vocab = "vocab.txt";

    public static readonly IReadOnlyList<string> Names =
    [
        Weights, Vocab, "config.json", "tokenizer_config.json", "special_tokens_map.json", "modules.json", "sentence_bert_config.json",
        "config_sentence_transformers.json", "1_Pooling/config.json",
    ];

    public static void WriteConfigs(string folder)
    {
        Directory.CreateDirectory(Path.Combine(folder, "1_Pooling"));
        void Write(string name, string text) => File.WriteAllText(Path.Combine(folder, name), text.ReplaceLineEndings("\n") + "\n");
        Write("config.json", """
            {
              "_name_or_path": "nreimers/MiniLM-L6-H384-uncased",
              "architectures": [
                "BertModel"
              ],
              "attention_probs_dropout_prob": 0.1,
              "gradient_checkpointing": false,
              "hidden_act": "gelu",
              "hidden_dropout_prob": 0.1,
              "hidden_size": 384,
              "initializer_range": 0.02,
              "intermediate_size": 1536,
              "layer_norm_eps": 1e-12,
              "max_position_embeddings": 512,
              "model_type": "bert",
              "num_attention_heads": 12,
              "num_hidden_layers": 6,
              "pad_token_id": 0,
              "position_embedding_type": "absolute",
              "transformers_version": "4.8.2",
              "type_vocab_size": 2,
              "use_cache": true,
              "vocab_size": 30522
            }
            """);
        Write("tokenizer_config.json", """
            {"do_lower_case": true, "unk_token": "[UNK]", "sep_token": "[SEP]", "pad_token": "[PAD]", "cls_token": "[CLS]", "mask_token": "[MASK]", "tokenize_chinese_chars": true, "strip_accents": null, "model_max_length": 512, "name_or_path": "nreimers/MiniLM-L6-H384-uncased", "do_basic_tokenize": true, "never_split": null, "tokenizer_class": "BertTokenizer"}
            """);
        Write("special_tokens_map.json", """
            {"unk_token": "[UNK]", "sep_token": "[SEP]", "pad_token": "[PAD]", "cls_token": "[CLS]", "mask_token": "[MASK]"}
            """);
        Write("modules.json", """
            [
              {
                "idx": 0,
                "name": "0",
                "path": "",
                "type": "sentence_transformers.models.Transformer"
              },
              {
                "idx": 1,
                "name": "1",
                "path": "1_Pooling",
                "type": "sentence_transformers.models.Pooling"
              },
              {
                "idx": 2,
                "name": "2",
                "path": "2_Normalize",
                "type": "sentence_transformers.models.Normalize"
              }
            ]
            """);
        Write("sentence_bert_config.json", """
            {
              "max_seq_length": 256,
              "do_lower_case": false
            }
            """);
        Write("config_sentence_transformers.json", """
            {
              "__version__": {
                "sentence_transformers": "2.0.0",
                "transformers": "4.6.1",
                "pytorch": "1.8.1"
              }
            }
            """);
        Write("1_Pooling/config.json", """
            {
              "word_embedding_dimension": 384,
              "pooling_mode_cls_token": false,
              "pooling_mode_mean_tokens": true,
              "pooling_mode_max_tokens": false,
              "pooling_mode_mean_sqrt_len_tokens": false
            }
            """);
    }
}
