using static TorchSharp.torch;

namespace ClassifSae.Benchmarks;

/// <summary>
/// The cases of issue 8 at paper shapes. <c>Full</c> stays under about ten minutes on two cores (fewer repetitions at
/// the big shapes); <c>Quick</c> uses tiny shapes so tests can exercise the whole harness in seconds.
/// </summary>
public static class BenchSuite
{
    /// <remarks>
    /// The bf16 ceiling is measured at 1024³ only: on the project machines libtorch's CPU bf16 matmul runs about 100× slower
    /// than fp32 (a fallback kernel), so bf16 backbone cases would not fit the time budget and are not offered.
    /// </remarks>
    public static IReadOnlyList<BenchCaseSpec> Ceilings(bool quick) =>
    [
        new("matmul_float32", () => new MatmulCeiling(quick ? 256 : 2048, ScalarType.Float32), quick ? 1 : 2, quick ? 3 : 7),
        new("matmul_bfloat16", () => new MatmulCeiling(quick ? 256 : 1024, ScalarType.BFloat16), 1, 3, "bfloat16"),
        new("memupdate_bytes", () => new MemoryBandwidthCeiling(quick ? 1L << 20 : 64L << 20), 1, quick ? 3 : 7, MemoryBandwidthCeiling.Kind),
    ];

    /// <summary>
    /// The hot paths; on an accelerator (<see cref="BenchDevice"/>) without the conditional-ablation cases, whose
    /// evaluation helpers run on the CPU.
    /// </summary>
    public static IReadOnlyList<BenchCaseSpec> Cases(bool quick) =>
        BenchDevice.IsAccelerator ? AllCases(quick).Where(c => !c.Name.StartsWith("ablation_", StringComparison.Ordinal)).ToList() : AllCases(quick);

    private static IReadOnlyList<BenchCaseSpec> AllCases(bool quick)
    {
        if (quick)
        {
            var tiny = PythiaShapes.Pythia70m with { HiddenSize = 64, NumLayers = 2, NumHeads = 4, IntermediateSize = 256, VocabSize = 512 };
            var shortPrompts = new PromptLengths("short", 8, 16);
            return
            [
                new("sae_step_d64", () => new SaeStepCase(64, batchSize: 50, rows: 200), 1, 3),
                new("cache_forward_tiny", () => new CachingForwardCase("tiny", tiny, shortPrompts, 64, 8), 1, 3),
                new("finetune_step_tiny", () => new FineTuneStepCase("tiny", tiny, shortPrompts, 4), 1, 3),
                new("adamw_step_tiny", () => new AdamWStepCase("tiny", tiny), 1, 3, MemoryBandwidthCeiling.Kind),
                new("tail_forward_tiny", () => new TailForwardCase("tiny", tiny, 32), 1, 3),
                new("ablation_conditional_tiny", () => new ConditionalAblationCase("tiny", tiny, 512, batch: 64), 1, 3),
            ];
        }
        var p70 = PythiaShapes.Pythia70m;
        var p160 = PythiaShapes.Pythia160m;
        return
        [
            new("sae_step_d512", () => new SaeStepCase(512), 3, 15),
            new("sae_step_d512_dense_reference", () => new SaeStepCase(512, sparseDecoder: false), 3, 15),
            new("sae_step_d2048", () => new SaeStepCase(2048), 2, 7),
            new("sae_step_d2048_dense_reference", () => new SaeStepCase(2048, sparseDecoder: false), 2, 7),
            // Test splits: AG News 7 600 sentences, IMDB 25 000; caching batch 32 (AG News) and 8 (IMDB, long prompts).
            new("cache_forward_pythia-70m_ag_news", () => new CachingForwardCase("pythia-70m", p70, PromptLengths.AgNews, 7600, 32), 1, 5),
            new("cache_forward_pythia-70m_imdb", () => new CachingForwardCase("pythia-70m", p70, PromptLengths.Imdb, 25000, 8), 1, 3),
            new("cache_forward_pythia-160m_ag_news", () => new CachingForwardCase("pythia-160m", p160, PromptLengths.AgNews, 7600, 32), 1, 3),
            new("cache_forward_pythia-160m_imdb", () => new CachingForwardCase("pythia-160m", p160, PromptLengths.Imdb, 25000, 8), 1, 3),
            new("finetune_step_pythia-70m_ag_news", () => new FineTuneStepCase("pythia-70m", p70, PromptLengths.AgNews, 8), 2, 5),
            new("finetune_step_pythia-70m_ag_news_without_optimizer", () => new FineTuneStepCase("pythia-70m", p70, PromptLengths.AgNews, 8, optimizerStep: false), 1, 3),
            new("adamw_step_pythia-70m", () => new AdamWStepCase("pythia-70m", p70), 1, 5, MemoryBandwidthCeiling.Kind),
            new("tail_forward_pythia-70m", () => new TailForwardCase("pythia-70m", p70, 1000), 1, 5),
            new("tail_forward_pythia-160m", () => new TailForwardCase("pythia-160m", p160, 1000), 1, 5),
            // AG News test split (7 600 states), the paper profile's evaluate batch 256, k = 10, 20 concepts at τ = 10 %.
            new("ablation_conditional_pythia-70m", () => new ConditionalAblationCase("pythia-70m", p70, 7600), 1, 3),
            new("ablation_conditional_pythia-160m", () => new ConditionalAblationCase("pythia-160m", p160, 7600), 1, 3),
        ];
    }
}
