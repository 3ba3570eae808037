using System.Text.Json;

namespace ClassifSae.Pipeline;

/// <summary>Finds and parses profiles; every failure is one line naming the file and the offending key.</summary>
public static class ProfileLoader
{
    /// <summary>A profile name is looked up in <paramref name="profilesDir"/> (NAME.json); a path to a .json file is used as is.</summary>
    /// <param name="sets">Command-line overrides, <c>section.key=value</c> (<see cref="ProfileSets"/>), applied before the checks.</param>
    public static Profile Load(string nameOrPath, string profilesDir, IReadOnlyList<string>? sets = null)
    {
        var path = nameOrPath.EndsWith(".json", StringComparison.OrdinalIgnoreCase) ? nameOrPath : Path.Combine(profilesDir, nameOrPath + ".json");
        if (!File.Exists(path))
        {
            var known = Directory.Exists(profilesDir)
                ? string.Join(", ", Directory.GetFiles(profilesDir, "*.json").Select(Path.GetFileNameWithoutExtension).Order())
                : "none";
            throw new UserError($"unknown profile '{nameOrPath}': {path} does not exist (known profiles: {known})");
        }
        if (sets is not { Count: > 0 }) return Parse(File.ReadAllText(path), path);
        return Parse(ProfileSets.Apply(File.ReadAllText(path), sets, path), $"{path} with --set {string.Join(" --set ", sets)}");
    }

    public static Profile Parse(string json, string source)
    {
        Profile? profile;
        try { profile = JsonSerializer.Deserialize<Profile>(json, Profile.JsonOptions); }
        catch (JsonException e) { throw new UserError($"{source}: {Describe(e)}"); }
        if (profile is null) throw new UserError($"{source}: empty profile");
        profile = WithCheckedMethodSections(profile, source);
        Validate(profile, source);
        return profile;
    }

    /// <summary>
    /// The profile run as another method version (the CLI's <c>--method-version</c>): its overrides for that version apply,
    /// and every cell is checked again under it.
    /// </summary>
    public static Profile WithMethodVersion(Profile profile, string version, string source)
    {
        var changed = profile with { MethodVersion = version };
        Validate(changed, source);
        return changed;
    }

    /// <summary>
    /// Top-level keys that are not profile fields must be a registered concept method's section, and each section must
    /// read as its record (unknown keys inside refused); the result has every section written out in full.
    /// </summary>
    private static Profile WithCheckedMethodSections(Profile profile, string source)
    {
        foreach (var (name, json) in profile.MethodSections)
        {
            var section = Concepts.ConceptMethods.Sections.FirstOrDefault(s => s.Name == name)
                          ?? throw new UserError($"{source}: unknown config key '{name}' (concept method sections: " +
                                                 $"{string.Join(", ", Concepts.ConceptMethods.Sections.Select(s => s.Name))})");
            try { profile.Section(name, section.SettingsType); }
            catch (JsonException e) { throw new UserError($"{source}: {Describe(e).Replace(" at $", $" at $.{name}")}"); }
        }
        return profile.Canonical();
    }

    /// <summary>
    /// Every key, once, before any stage starts: the profile, each override on its own, then every grid cell with its
    /// overrides applied, including the rules that need the model width (scratch models) or the training rows (planted).
    /// </summary>
    private static void Validate(Profile profile, string source)
    {
        ThrowFirstProblem(source, profile, null);
        for (var i = 0; i < profile.Overrides.Count; i++)
        {
            var o = profile.Overrides[i];
            foreach (var name in (o.Models ?? []).Where(m => !profile.Models.ContainsKey(m)))
                throw new UserError($"{source}: overrides[{i}] names unknown model '{name}'");
            foreach (var name in (o.Datasets ?? []).Where(d => !profile.Datasets.ContainsKey(d)))
                throw new UserError($"{source}: overrides[{i}] names unknown data set '{name}'");
            if (o.MethodVersion is { } v && !global::ClassifSae.Settings.MethodVersion.All.Contains(v))
                throw new UserError($"{source}: overrides[{i}].method_version = '{v}' must be one of {string.Join(", ", global::ClassifSae.Settings.MethodVersion.All.Select(x => $"'{x}'"))}");
            Profile applied;
            try { applied = o.ApplyTo(profile); }
            catch (JsonException e) { throw new UserError($"{source}: overrides[{i}]: {Describe(e)}"); }
            ThrowFirstProblem(source, applied, $"overrides[{i}]");
        }
        foreach (var (model, m) in profile.Models)
        foreach (var (dataset, d) in profile.Datasets)
        {
            var cell = profile.For(model, dataset);
            var check = new Settings.SettingsCheck();
            ProfileValidation.Check(cell, check);
            ProfileValidation.CheckMethods(cell, cell.Methods, ProfileValidation.KnownWidth(m), ProfileValidation.KnownTrainRows(d), check);
            check.ThrowIfAny(problem => new UserError($"{source}: {problem} (model '{model}', data set '{dataset}')"));
        }
    }

    private static void ThrowFirstProblem(string source, Profile p, string? where)
    {
        var check = new Settings.SettingsCheck();
        ProfileValidation.Check(p, check);
        check.ThrowIfAny(problem => new UserError(where is null ? $"{source}: {problem}" : $"{source}: {where}: {problem}"));
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
}
