using System.Globalization;
using ClassifSae.Concepts.ConceptShap;
using ClassifSae.Concepts.Sae;
using ClassifSae.Pipeline;
using ClassifSae.Settings;
using ClassifSae.Tests.Cli;

namespace ClassifSae.Tests.Pipeline;

/// <summary>
/// build/profiles/upstream.json against the configuration facts upstream publishes (spec 04 §7's CSV, one row per model × data
/// set: fine-tuning step, ClassifSAE batch B, λ_mse = λ_AR, ConceptSHAP θ), and its fail-fast on absent weights and data.
/// </summary>
public sealed class UpstreamProfileTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("upstream-profile-").FullName;
    private readonly Profile _upstream = ProfileLoader.Load("upstream", RepoPaths.Profiles);

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    // Spec 04 §7 (model, dataset, ckpt, B, lam, theta_train), our model keys; ckpt '-' = a frozen model aligned by a soft prompt (§3.3).
    private const string Published = """
        pythia-410m,ag_news,30000,500,0.02,0.3
        pythia-410m,imdb,30000,500,0.02,0.3
        pythia-410m,tweeteval_offensive,30000,2000,0.02,0.3
        pythia-410m,tweeteval_sentiment,40000,1000,0.02,0.3
        pythia-1b,ag_news,30000,500,0.02,0.3
        pythia-1b,imdb,30000,500,0.02,0.3
        pythia-1b,tweeteval_offensive,30000,2000,0.01,0.3
        pythia-1b,tweeteval_sentiment,40000,2000,0.01,0.3
        bert,ag_news,30000,500,0.02,0.3
        bert,imdb,30000,500,0.02,0.3
        bert,tweeteval_offensive,15000,1000,0.02,0.3
        bert,tweeteval_sentiment,45000,1000,0.02,0.3
        deberta,ag_news,30000,500,0.02,0.3
        deberta,imdb,10000,500,0.02,0.3
        deberta,tweeteval_offensive,10000,1000,0.02,0.3
        deberta,tweeteval_sentiment,20000,1000,0.02,0.3
        gpt-j-6B,ag_news,5000,1000,0.02,0.3
        gpt-j-6B,imdb,12500,500,0.02,0.3
        gpt-j-6B,tweeteval_offensive,15000,2000,0.01,0.3
        gpt-j-6B,tweeteval_sentiment,12000,1000,0.02,0.3
        llama-3.1-8b-instruct,ag_news,-,500,0.02,0.2
        llama-3.1-8b-instruct,imdb,-,500,0.02,0.2
        llama-3.1-8b-instruct,tweeteval_offensive,-,1000,0.01,0.3
        llama-3.1-8b-instruct,tweeteval_sentiment,-,1000,0.01,0.1
        mistral-7b-instruct,ag_news,-,500,0.02,0.2
        mistral-7b-instruct,imdb,-,500,0.02,0.2
        mistral-7b-instruct,tweeteval_offensive,-,1000,0.01,0.3
        mistral-7b-instruct,tweeteval_sentiment,-,1000,0.01,0.2
        """;

    [Fact]
    public void Every_cell_has_upstreams_published_hyperparameters()
    {
        var rows = Published.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(l => l.Split(',')).ToList();
        Assert.Equal(rows.Select(r => (r[0], r[1])).Order(), (from m in _upstream.Models.Keys from d in _upstream.Datasets.Keys select (m, d)).Order());
        foreach (var r in rows)
        {
            var cell = _upstream.For(r[0], r[1]);
            var where = $"{r[0]} × {r[1]}";
            double D(int i) => double.Parse(r[i], CultureInfo.InvariantCulture);
            var model = cell.Models[r[0]];
            if (r[2] == "-")
            {
                Assert.Equal("soft_prompt", model.Alignment);
                Assert.Equal((10, 2000, 2), (model.SoftPrompt!.Tokens, model.SoftPrompt.Steps, model.SoftPrompt.BatchSize));
            }
            else
            {
                Assert.Null(model.Alignment);
                Assert.True(int.Parse(r[2], CultureInfo.InvariantCulture) == cell.FineTune.Steps, $"{where}: fine-tuning steps {cell.FineTune.Steps}");
                // The configs' warmup_ratio = 0.05 (upstream's 500-step warm-up is a [BUG] fixed here).
                Assert.True(cell.FineTune.Steps / 20 == cell.FineTune.WarmupSteps, $"{where}: warm-up {cell.FineTune.WarmupSteps}");
                // Fully fine-tuned decoders train as upstream does: fp16 mixed precision and the 8-bit AdamW (GPT-J also checkpointed).
                var decoder = r[0] is "pythia-410m" or "pythia-1b" or "gpt-j-6B";
                Assert.Equal(decoder ? ("fp16-mixed", "adamw-8bit") : ("fp32", "adamw"), (cell.FineTune.TrainingPrecisionName, cell.FineTune.Optimizer ?? "adamw"));
                Assert.Equal(r[0] == "gpt-j-6B", cell.FineTune.GradientCheckpointing);
            }
            var sae = cell.Settings<ClassifSaeSettings>();
            Assert.True((int)D(3) == sae.BatchSize, $"{where}: ClassifSAE batch {sae.BatchSize}");
            // 10 M training tokens (spec 04 §4.4).
            Assert.True(10_000_000 == sae.Steps * sae.BatchSize, $"{where}: {sae.Steps} steps × {sae.BatchSize}");
            Assert.True(D(4) == sae.LambdaMse && D(4) == sae.LambdaActivationRate, $"{where}: λ {sae.LambdaMse}/{sae.LambdaActivationRate}");
            Assert.Equal(D(5), cell.Settings<ConceptShapSettings>().Threshold);
            // The plain SAE: B = 500 and 10 M tokens everywhere, whatever ClassifSAE's B.
            var plain = (PlainSaeSettings)cell.MethodSettings("sae");
            Assert.Equal((500, 20_000, 1.0, 0.0), (plain.Sae.BatchSize, plain.Sae.Steps, plain.Sae.LambdaMse, plain.Sae.LambdaActivationRate));
            var encoder = r[0] is "bert" or "deberta";
            Assert.Equal(encoder ? 512 : 2048, cell.FineTune.MaxLength);
            Assert.Equal(r[0] == "deberta" && r[1] == "imdb" ? 2 : encoder ? 4 : 2, cell.FineTune.BatchSize);
        }
    }

    [Fact]
    public void It_runs_the_upstream_version_of_all_five_methods_on_upstreams_data()
    {
        Assert.Equal(MethodVersion.Upstream2026, _upstream.MethodVersion);
        Assert.Equal(["classifsae", "sae", "ica", "conceptshap", "hiconcept"], _upstream.Methods);
        var cell = _upstream.For("bert", "tweeteval_sentiment");
        Assert.Equal(MethodVersion.Upstream2026, ((ConceptShapSettings)cell.MethodSettings("conceptshap")).Version);
        Assert.Equal(MethodVersion.Upstream2026, ((PlainSaeSettings)cell.MethodSettings("sae")).Selection.Version);
        Assert.Equal(["negative", "neutral", "positive"], _upstream.Datasets["tweeteval_sentiment"].ClassNames!);
        Assert.Equal(["non-offensive", "offensive"], _upstream.Datasets["tweeteval_offensive"].ClassNames!);
        Assert.All(_upstream.Datasets.Values, d => Assert.False(d.SpaceBeforeFinalNewline));
        Assert.Equal("sentence-transformers/all-MiniLM-L6-v2", _upstream.Evaluate.SentenceEncoder);
    }

    [Fact]
    public void It_fails_fast_naming_the_downloads_of_the_weights_and_the_tweeteval_files()
    {
        var env = new Dictionary<string, string> { ["HF_HOME"] = Path.Combine(_dir, "hf"), ["HF_HUB_OFFLINE"] = "1" };
        var data = Path.Combine(_dir, "data");
        var r = CliProcess.Run(_dir, env, "run", "--profile", "upstream", "--profiles-dir", RepoPaths.Profiles, "--models", "pythia-410m",
            "--datasets", "tweeteval_sentiment", "--runs-dir", _dir, "--data-dir", data);
        CliProcess.AssertOneLineError(r, "huggingface-cli download EleutherAI/pythia-410m");
        Assert.Contains($"huggingface-cli download cardiffnlp/tweet_eval --repo-type dataset --include \"sentiment/*\" --local-dir {Path.Combine(data, "tweet_eval")}", r.Output);
        Assert.False(Directory.Exists(Path.Combine(_dir, "upstream")));
    }
}
