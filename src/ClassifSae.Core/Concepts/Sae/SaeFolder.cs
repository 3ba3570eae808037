using System.Text.Json;
using System.Text.Json.Nodes;
using ClassifSae.Formats;
using static TorchSharp.torch;

namespace ClassifSae.Concepts.Sae;

/// <summary>A loaded SAE folder. Dispose to free the module and the sparsity tensor.</summary>
public sealed record LoadedSae(TopKSae Sae, ClassifierHeadConfig Head, SaeProvenance Provenance, Tensor? Sparsity) : IDisposable
{
    public void Dispose()
    {
        Sae.Dispose();
        Sparsity?.Dispose();
    }
}

/// <summary>
/// Saves and loads an SAE folder that stock SAELens v6 can read (cfg.json + sae_weights.safetensors with exactly
/// W_enc, b_enc, W_dec, b_dec) with the ClassifSAE head in separate files. Every file is written atomically and the
/// folder is assembled under a temporary name, then renamed into place.
/// </summary>
public static class SaeFolder
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    /// <param name="sparsity">log10 firing frequency [d_sae]; when null every entry is log10(1e-10) = −10.</param>
    public static void Save(string dir, TopKSae sae, SaeProvenance provenance, LossWeights weights, Tensor? sparsity = null)
    {
        var shape = sae.Shape;
        if (sparsity is not null && (sparsity.shape.Length != 1 || sparsity.shape[0] != shape.DSae))
            throw new ArgumentException($"sparsity must have shape [{shape.DSae}], got [{string.Join(",", sparsity.shape)}]");
        sae.NormaliseDecoderRows();
        // Checked before anything is written: NaN weights would otherwise surface as a JSON error half-way through.
        foreach (var (name, tensor) in sae.NamedTensors) FiniteTensors.Require(tensor, dir, name, "training diverged; nothing was written");
        if (sparsity is not null) FiniteTensors.Require(sparsity, dir, "sparsity", "nothing was written");

        var full = Path.GetFullPath(dir.TrimEnd(Path.DirectorySeparatorChar));
        var tmp = $"{full}.tmp-{Environment.ProcessId}-{Guid.NewGuid():N}";
        Directory.CreateDirectory(tmp);
        try
        {
            using var scope = NewDisposeScope();
            var t = sae.NamedTensors;
            SafetensorsFile.Write(Path.Combine(tmp, SaeFolderFiles.Weights), new Dictionary<string, Tensor>
            {
                ["W_enc"] = t["W_enc"], ["b_enc"] = t["b_enc"], ["W_dec"] = t["W_dec"], ["b_dec"] = t["b_dec"],
            });
            SafetensorsFile.Write(Path.Combine(tmp, SaeFolderFiles.ClassifierHead), new Dictionary<string, Tensor>
            {
                ["classifier_weight"] = t["classifier_weight"], ["classifier_bias"] = t["classifier_bias"],
            });
            var sparsityTensor = sparsity?.to(ScalarType.Float32) ?? full_like(zeros(shape.DSae), -10.0);
            SafetensorsFile.Write(Path.Combine(tmp, SaeFolderFiles.Sparsity), new Dictionary<string, Tensor> { ["sparsity"] = sparsityTensor });
            AtomicFile.WriteAllText(Path.Combine(tmp, SaeFolderFiles.Config), SaeLensConfig(shape, provenance).ToJsonString(Indented));
            AtomicFile.WriteAllText(Path.Combine(tmp, SaeFolderFiles.ClassifierConfig), HeadConfig(shape, weights).ToJsonString(Indented));
            ReplaceDirectory(tmp, full);
        }
        catch
        {
            try { if (Directory.Exists(tmp)) Directory.Delete(tmp, recursive: true); } catch (IOException) { }
            throw;
        }
    }

    public static LoadedSae Load(string dir)
    {
        if (!Directory.Exists(dir)) throw new DirectoryNotFoundException($"{dir}: SAE folder not found");
        var cfgPath = Path.Combine(dir, SaeFolderFiles.Config);
        var cfg = ReadJson(cfgPath);
        Require(cfgPath, Str(cfg, cfgPath, "architecture") == "topk", "architecture must be \"topk\"");
        Require(cfgPath, Str(cfg, cfgPath, "normalize_activations") == "constant_norm_rescale",
            "normalize_activations must be \"constant_norm_rescale\" (ClassifSAE always rescales per sample)");
        Require(cfgPath, cfg["apply_b_dec_to_input"]?.GetValue<bool>() != true, "apply_b_dec_to_input must be false");
        var dtype = cfg["dtype"]?.GetValue<string>() ?? "float32";
        Require(cfgPath, dtype is "float32" or "torch.float32", $"dtype must be float32, got \"{dtype}\"");
        int dIn = Int(cfg, cfgPath, "d_in"), dSae = Int(cfg, cfgPath, "d_sae"), k = Int(cfg, cfgPath, "k");
        var meta = cfg["metadata"] as JsonObject;
        var provenance = new SaeProvenance(
            meta?["model_name"]?.GetValue<string>() ?? "", meta?["hook_name"]?.GetValue<string>() ?? "", meta?["dataset_path"]?.GetValue<string>());

        var headPath = Path.Combine(dir, SaeFolderFiles.ClassifierConfig);
        var headJson = ReadJson(headPath);
        var head = new ClassifierHeadConfig(Int(headJson, headPath, "n_concepts"), Int(headJson, headPath, "nb_classes"),
            Dbl(headJson, headPath, "lambda_mse"), Dbl(headJson, headPath, "lambda_ar"), Dbl(headJson, headPath, "lambda_cls"), Dbl(headJson, headPath, "tau"));

        var shape = new SaeShape(dIn, dSae, k, head.NConcepts, head.NbClasses);
        try { shape.Validate(); }
        catch (ArgumentException e) { throw new InvalidDataException($"{dir}: inconsistent configuration: {e.Message}"); }

        var sae = new TopKSae(shape, seed: 0);
        try
        {
            var target = sae.NamedTensors;
            LoadInto(Path.Combine(dir, SaeFolderFiles.Weights), target, new()
            {
                ["W_enc"] = [dIn, dSae], ["b_enc"] = [dSae], ["W_dec"] = [dSae, dIn], ["b_dec"] = [dIn],
            });
            LoadInto(Path.Combine(dir, SaeFolderFiles.ClassifierHead), target, new()
            {
                ["classifier_weight"] = [head.NbClasses, head.NConcepts], ["classifier_bias"] = [head.NbClasses],
            });
            var sparsity = ReadSparsity(Path.Combine(dir, SaeFolderFiles.Sparsity), dSae);
            sae.eval();
            return new LoadedSae(sae, head, provenance, sparsity);
        }
        catch
        {
            sae.Dispose();
            throw;
        }
    }

    private static JsonObject SaeLensConfig(SaeShape shape, SaeProvenance provenance)
    {
        var metadata = new JsonObject
        {
            // The schema version only: sae_lens_training_version would claim SAELens trained it.
            ["sae_lens_version"] = SaeFolderFiles.SaeLensVersion,
            ["model_name"] = provenance.ModelName,
            // Hook names are TransformerLens' (blocks.N.hook_resid_pre), so the model class is TransformerLens' too.
            ["model_class_name"] = "HookedTransformer",
            ["hook_name"] = provenance.HookName,
            ["hook_head_index"] = null,
            ["prepend_bos"] = false,
            ["context_size"] = provenance.ContextSize,
            // Trained on the decision token only (position T−2 of each prompt), not on every position.
            ["seqpos_slice"] = new JsonArray(-2, -1),
            ["model_from_pretrained_kwargs"] = new JsonObject(),
        };
        if (provenance.DatasetPath is not null) metadata["dataset_path"] = provenance.DatasetPath;
        return new JsonObject
        {
            ["d_in"] = shape.DIn,
            ["d_sae"] = shape.DSae,
            ["dtype"] = "float32",
            ["device"] = "cpu",
            ["apply_b_dec_to_input"] = false,
            ["normalize_activations"] = "constant_norm_rescale",
            ["reshape_activations"] = "none",
            ["k"] = shape.K,
            ["rescale_acts_by_decoder_norm"] = false,
            ["metadata"] = metadata,
            ["architecture"] = "topk",
        };
    }

    /// <summary>
    /// The head's shape and the loss weights that say whether it was trained. Version 2 dropped version 1's
    /// <c>training</c> object (a PascalCase copy of the run options): the settings live once, in method.json.
    /// </summary>
    private static JsonObject HeadConfig(SaeShape shape, LossWeights weights)
    {
        return new JsonObject
        {
            ["format_version"] = 2,
            ["kind"] = weights.IsClassifSae ? "classif_sae" : "baseline_sae",
            ["n_concepts"] = shape.NConcepts,
            ["nb_classes"] = shape.NbClasses,
            ["lambda_mse"] = weights.LambdaMse,
            ["lambda_ar"] = weights.LambdaAR,
            ["lambda_cls"] = weights.LambdaCls,
            ["tau"] = weights.Tau,
        };
    }

    private static void LoadInto(string path, IReadOnlyDictionary<string, TorchSharp.Modules.Parameter> target, Dictionary<string, long[]> expected)
    {
        var tensors = SafetensorsFile.Read(path);
        try
        {
            foreach (var (name, shape) in expected)
            {
                if (!tensors.TryGetValue(name, out var t))
                    throw new InvalidDataException($"{path}: missing tensor '{name}' (expected shape [{string.Join(",", shape)}])");
                if (t.dtype != ScalarType.Float32)
                    throw new InvalidDataException($"{path}: tensor '{name}' has dtype {t.dtype}, expected Float32");
                if (!t.shape.SequenceEqual(shape))
                    throw new InvalidDataException($"{path}: tensor '{name}' has shape [{string.Join(",", t.shape)}], expected [{string.Join(",", shape)}]");
            }
            var extra = tensors.Keys.Except(expected.Keys).ToList();
            if (extra.Count > 0)
                throw new InvalidDataException($"{path}: unexpected tensor(s) {string.Join(", ", extra.Select(e => $"'{e}'"))} (SAELens loads strictly)");
            using var _ = no_grad();
            foreach (var name in expected.Keys) target[name].copy_(tensors[name]);
        }
        finally
        {
            foreach (var t in tensors.Values) t.Dispose();
        }
    }

    private static Tensor? ReadSparsity(string path, int dSae)
    {
        if (!File.Exists(path)) return null;
        var tensors = SafetensorsFile.Read(path);
        if (tensors.Remove("sparsity", out var s) && s.shape.SequenceEqual([(long)dSae]) && s.dtype == ScalarType.Float32)
        {
            foreach (var t in tensors.Values) t.Dispose();
            return s;
        }
        s?.Dispose();
        foreach (var t in tensors.Values) t.Dispose();
        throw new InvalidDataException($"{path}: expected a single Float32 tensor 'sparsity' of shape [{dSae}]");
    }

    private static void ReplaceDirectory(string tmp, string full)
    {
        if (!Directory.Exists(full))
        {
            Directory.Move(tmp, full);
            return;
        }
        var old = $"{full}.old-{Guid.NewGuid():N}";
        Directory.Move(full, old);
        Directory.Move(tmp, full);
        Directory.Delete(old, recursive: true);
    }

    private static JsonObject ReadJson(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"{path}: required file is missing", path);
        try
        {
            return JsonNode.Parse(File.ReadAllText(path)) as JsonObject ?? throw new InvalidDataException($"{path}: not a JSON object");
        }
        catch (JsonException e) { throw new InvalidDataException($"{path}: invalid JSON: {e.Message}"); }
    }

    private static void Require(string path, bool ok, string what)
    {
        if (!ok) throw new InvalidDataException($"{path}: {what}");
    }

    private static JsonNode Field(JsonObject o, string path, string key) =>
        o[key] ?? throw new InvalidDataException($"{path}: missing field \"{key}\"");

    private static string? Str(JsonObject o, string path, string key) => Get<string>(o, path, key);
    private static int Int(JsonObject o, string path, string key) => Get<int>(o, path, key);
    private static double Dbl(JsonObject o, string path, string key) => Get<double>(o, path, key);

    private static T Get<T>(JsonObject o, string path, string key)
    {
        var node = Field(o, path, key);
        try { return node.GetValue<T>(); }
        catch (Exception e) when (e is FormatException or InvalidOperationException)
        {
            throw new InvalidDataException($"{path}: field \"{key}\" has the wrong type ({node.ToJsonString()}): {e.Message}");
        }
    }
}
