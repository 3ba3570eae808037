using System.Text.Json;

namespace ClassifSae.Pipeline;

/// <summary>Finds and parses profiles; every failure is one line naming the file and the offending key.</summary>
public static class ProfileLoader
{
    /// <summary>A profile name is looked up in <paramref name="profilesDir"/> (NAME.json); a path to a .json file is used as is.</summary>
    public static Profile Load(string nameOrPath, string profilesDir)
    {
        var path = nameOrPath.EndsWith(".json", StringComparison.OrdinalIgnoreCase) ? nameOrPath : Path.Combine(profilesDir, nameOrPath + ".json");
        if (!File.Exists(path))
        {
            var known = Directory.Exists(profilesDir)
                ? string.Join(", ", Directory.GetFiles(profilesDir, "*.json").Select(Path.GetFileNameWithoutExtension).Order())
                : "none";
            throw new UserError($"unknown profile '{nameOrPath}': {path} does not exist (known profiles: {known})");
        }
        return Parse(File.ReadAllText(path), path);
    }

    public static Profile Parse(string json, string source)
    {
        Profile? profile;
        try { profile = JsonSerializer.Deserialize<Profile>(json, Profile.JsonOptions); }
        catch (JsonException e) { throw new UserError($"{source}: {Describe(e)}"); }
        if (profile is null) throw new UserError($"{source}: empty profile");
        Validate(profile, source);
        for (var i = 0; i < profile.Overrides.Count; i++)
        {
            var o = profile.Overrides[i];
            foreach (var name in (o.Models ?? []).Where(m => !profile.Models.ContainsKey(m)))
                throw new UserError($"{source}: overrides[{i}] names unknown model '{name}'");
            foreach (var name in (o.Datasets ?? []).Where(d => !profile.Datasets.ContainsKey(d)))
                throw new UserError($"{source}: overrides[{i}] names unknown data set '{name}'");
            try { Validate(o.ApplyTo(profile), source); }
            catch (JsonException e) { throw new UserError($"{source}: overrides[{i}]: {Describe(e)}"); }
        }
        return profile;
    }

    private static string Describe(JsonException e)
    {
        // System.Text.Json says "The JSON property 'x' could not be mapped to any .NET member contained in type ..." for unknown keys.
        var where = e.Path is { Length: > 0 } p ? $" at {p}" : "";
        var msg = e.Message.Split(" Path:")[0];
        if (msg.Contains("could not be mapped", StringComparison.Ordinal))
        {
            var start = msg.IndexOf('\'');
            var end = start >= 0 ? msg.IndexOf('\'', start + 1) : -1;
            var key = start >= 0 && end > start ? msg[(start + 1)..end] : "?";
            return $"unknown config key '{key}'{where}";
        }
        return $"invalid profile{where}: {msg}";
    }

    private static void Validate(Profile p, string source)
    {
        void Require(bool ok, string what)
        {
            if (!ok) throw new UserError($"{source}: {what}");
        }
        Require(p.Models.Count > 0, "'models' must name at least one model");
        Require(p.Datasets.Count > 0, "'datasets' must name at least one data set");
        foreach (var (name, m) in p.Models)
        {
            Require(m.Source is "scratch" or "hf", $"models.{name}.source must be 'scratch' or 'hf', not '{m.Source}'");
            Require(m.Source != "hf" || !string.IsNullOrWhiteSpace(m.Path), $"models.{name}.path is required when source is 'hf'");
            Require(m.HiddenSize > 0 && m.NumHeads > 0 && m.HiddenSize % m.NumHeads == 0, $"models.{name}: hidden_size must be a positive multiple of num_heads");
            Require(m.NumLayers >= 2, $"models.{name}.num_layers must be at least 2 (the hook is the input of the last block)");
        }
        foreach (var (name, d) in p.Datasets)
        {
            Require(d.Source is "planted" or "files", $"datasets.{name}.source '{d.Source}' is not supported (expected 'planted' or 'files')");
            if (d.Source == "planted")
            {
                Require(d.Classes >= 2, $"datasets.{name}.classes needs at least 2 classes");
                Require(d.TrainSize > 0 && d.TestSize > 0, $"datasets.{name}: train_size and test_size must be positive (an empty data set cannot be used)");
            }
            else
            {
                Require(!string.IsNullOrWhiteSpace(d.Train) && !string.IsNullOrWhiteSpace(d.Test), $"datasets.{name}: 'train' and 'test' file patterns are required for source 'files'");
                Require(d.ClassNames is { Length: >= 2 and <= 10 }, $"datasets.{name}.class_names must list 2 to 10 classes for source 'files'");
            }
        }
        var c = p.ClassifSae;
        Require(c.K > 0 && c.NConcepts > 0, "classif_sae.k and classif_sae.n_concepts must be positive");
        Require(c.ActivationRate is > 0 and <= 1, "classif_sae.activation_rate must be in (0, 1]");
        Require(c.Steps > 0 && c.BatchSize > 0, "classif_sae.steps and classif_sae.batch_size must be positive");
        Require(c.Loader is "iid" or "faithful", $"classif_sae.loader must be 'iid' or 'faithful', not '{c.Loader}'");
        Require(p.FineTune.Steps > 0 && p.FineTune.BatchSize > 0, "fine_tune.steps and fine_tune.batch_size must be positive");
        Require(p.Cache.RowsPerShard > 0, "cache.rows_per_shard must be positive");
        var unknown = p.Methods.Where(m => !Concepts.ConceptMethods.Keys.Contains(m)).ToList();
        Require(unknown.Count == 0, $"methods: unknown method(s) {string.Join(", ", unknown)} (known: {string.Join(", ", Concepts.ConceptMethods.Keys)})");
        Require(p.Methods.Count > 0, "methods must name at least one concept method");
        var s = p.Sae;
        Require(s.NConcepts > 0, "sae.n_concepts must be positive");
        Require(s.SelectionSplit is "test" or "train", $"sae.selection_split must be 'test' or 'train', not '{s.SelectionSplit}'");
        Require(s.LogisticCs.Count > 0 && s.LogisticCs.All(x => x > 0), "sae.logistic_cs must list positive values");
        Require(s.LogisticFolds >= 2, "sae.logistic_folds must be at least 2");
        Require(s.Steps is null or > 0, "sae.steps must be positive");
        Require(p.Ica.Components > 0 && p.Ica.MaxIterations > 0, "ica.components and ica.max_iterations must be positive");
        var k = p.ConceptShap;
        Require(k.NConcepts > 0 && k.HiddenDim > 0 && k.TopK > 0 && k.BatchSize > 0 && k.Epochs > 0,
            "concept_shap.n_concepts, hidden_dim, top_k, batch_size and epochs must be positive");
        Require(k.Threshold is >= 0 and < 1, "concept_shap.threshold must be in [0, 1)");
    }
}
