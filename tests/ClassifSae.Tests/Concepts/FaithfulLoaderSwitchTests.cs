using ClassifSae.Concepts.Sae;
using ClassifSae.Caching;
using ClassifSae.Concepts;
using ClassifSae.Pipeline;
using ClassifSae.Tests.Results;
using static TorchSharp.torch;

namespace ClassifSae.Tests.Concepts;

/// <summary>classif_sae.loader = "faithful" trains from the cache shards with the original's half-file loader.</summary>
public class FaithfulLoaderSwitchTests
{
    [Fact]
    public void The_faithful_loader_trains_from_the_shards_and_differs_from_iid_batches()
    {
        using var scope = NewDisposeScope();
        using var tmp = new TempFolder();
        var (x, y) = PlantedConcepts.Make(800, seed: 4);
        var labels = y.data<long>().ToArray();
        var shards = Path.Combine(tmp.Path, "cache");
        using (var split = new CachedSplit(x.clone(), labels, Enumerable.Range(0, 800).Select(i => (long)i).ToArray(), labels, null))
            ActivationShards.Write(shards, split, rowsPerShard: 400, shuffleSeed: 1);

        TrainedLoss Run(string loader, string? folder)
        {
            var profile = new Profile { Name = "t", Cache = new CacheSpec { RowsPerShard = 400 } }
                .With(new ClassifSaeSettings { NConcepts = 8, Steps = 30, BatchSize = 100, LearningRate = 1e-3, LearningRateEnd = 1e-5, Loader = loader });
            var input = new ConceptTrainingInput
            {
                Hidden = x, Predicted = labels, Classes = PlantedConcepts.Classes, Settings = profile.Settings<ClassifSaeSettings>(), Seed = profile.Seed, RowsPerShard = profile.Cache.RowsPerShard,
                Provenance = new ConceptProvenance("m", "h", "d"), ActivationsFolder = folder,
            };
            var dir = Path.Combine(tmp.Path, loader + (folder is null ? "-none" : ""));
            var metrics = ConceptMethods.Train(ConceptMethods.Get("classifsae"), input, dir, "h");
            return new TrainedLoss(metrics.Single(m => m.Metric == "sae_final_loss").Value);
        }

        var faithful = Run("faithful", Path.Combine(shards, ActivationShards.ActivationsFolder));
        var iid = Run("iid", null);
        Assert.True(double.IsFinite(faithful.Value));
        Assert.NotEqual(iid.Value, faithful.Value);
        var e = Assert.Throws<UserError>(() => Run("faithful", null));
        Assert.Contains("needs the train activation shards", e.Message);
    }

    [Fact]
    public void The_faithful_loader_never_loads_the_whole_train_split()
    {
        using var scope = NewDisposeScope();
        using var tmp = new TempFolder();
        var (x, y) = PlantedConcepts.Make(600, seed: 5);
        var labels = y.data<long>().ToArray();
        var shards = Path.Combine(tmp.Path, "cache");
        using (var split = new CachedSplit(x.clone(), labels, Enumerable.Range(0, 600).Select(i => (long)i).ToArray(), labels, null))
            ActivationShards.Write(shards, split, rowsPerShard: 200, shuffleSeed: 1);
        var (predicted, dIn) = ActivationShards.ReadLabels(shards);
        Assert.Equal(x.size(1), dIn);
        using (var all = ActivationShards.Read(shards)) Assert.Equal(all.Predicted, predicted);

        var profile = new Profile { Name = "t", Cache = new CacheSpec { RowsPerShard = 200 } }
            .With(new ClassifSaeSettings { NConcepts = 8, Steps = 20, BatchSize = 100, LearningRate = 1e-3, LearningRateEnd = 1e-5, Loader = "faithful" });
        var input = new ConceptTrainingInput
        {
            // Reading the states would throw: the faithful loader must stream them from the shards instead.
            HiddenLoader = () => throw new InvalidOperationException("the whole train split was loaded"),
            DIn = dIn, Predicted = predicted, Classes = PlantedConcepts.Classes, Settings = profile.Settings<ClassifSaeSettings>(), Seed = profile.Seed, RowsPerShard = profile.Cache.RowsPerShard,
            Provenance = new ConceptProvenance("m", "h", "d"), ActivationsFolder = Path.Combine(shards, ActivationShards.ActivationsFolder),
        };
        var metrics = ConceptMethods.Train(ConceptMethods.Get("classifsae"), input, Path.Combine(tmp.Path, "sae"), "h");
        Assert.True(double.IsFinite(metrics.Single(m => m.Metric == "sae_final_loss").Value));
    }

    private sealed record TrainedLoss(double Value);
}
