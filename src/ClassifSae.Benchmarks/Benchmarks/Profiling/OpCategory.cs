using System.Text.RegularExpressions;

namespace ClassifSae.Benchmarks.Profiling;

/// <summary>
/// Groups profiled functions into the kinds of work a training step does, so a profile reads as "where the time goes"
/// rather than as a thousand mangled names. The first matching rule wins; the order puts specific kernels before the
/// generic elementwise loop that many of them run inside.
/// </summary>
public static partial class OpCategory
{
    public const string Matmul = "matmul (BLAS GEMM)";
    public const string ThreadWait = "threads waiting (OpenMP barrier spin: serial work elsewhere)";
    public const string Softmax = "softmax";
    public const string Norm = "layer norm";
    public const string Activation = "activations (GELU/SiLU/tanh)";
    public const string Indexing = "embedding / gather / scatter / index";
    public const string Reduction = "reductions (sum, norm, max)";
    public const string Elementwise = "other elementwise kernels";
    public const string Copy = "copies, fills, layout changes";
    public const string Kernel = "OS kernel (page faults, memory mapping)";
    public const string Allocation = "allocator (malloc/free)";
    public const string Dispatch = "dispatch, autograd engine, bookkeeping";
    public const string Managed = ".NET runtime and managed code";
    public const string Other = "other";

    private static readonly (string Category, Regex Pattern)[] SymbolRules =
    [
        (Matmul, GemmPattern()),
        (Softmax, new Regex("softmax", RegexOptions.IgnoreCase)),
        (Norm, new Regex("layer_?norm|rms_?norm|batch_?norm", RegexOptions.IgnoreCase)),
        (Activation, new Regex("gelu|silu|tanh|sigmoid|erf", RegexOptions.IgnoreCase)),
        (Indexing, new Regex("embedding|index_|index\\b|gather|scatter|take|masked_", RegexOptions.IgnoreCase)),
        (Reduction, new Regex("reduce|sum_kernel|norm_kernel|binary_kernel_reduce|max_kernel|min_kernel|cumsum|topk|sort", RegexOptions.IgnoreCase)),
        (Copy, new Regex("copy|memcpy|memmove|memset|fill|contiguous|clone|cat_|transpose|permute", RegexOptions.IgnoreCase)),
        (Allocation, new Regex("malloc|free|alloc|CPUAllocator|posix_memalign", RegexOptions.IgnoreCase)),
        (Elementwise, new Regex("VectorizedLoop|cpu_kernel|TensorIterator|vectorized|basic_loop|loop2d|_kernel", RegexOptions.IgnoreCase)),
        (Dispatch, new Regex("c10::|at::|torch::|autograd|Dispatch|THS|Engine", RegexOptions.None)),
    ];

    public static string Classify(string library, string symbol)
    {
        if (library == "[kernel]") return Kernel;
        if (library.Contains("libgomp", StringComparison.Ordinal) || library.Contains("libiomp", StringComparison.Ordinal)) return ThreadWait;
        if (library.Contains("libcoreclr", StringComparison.Ordinal) || library.Contains("libclrjit", StringComparison.Ordinal)
            || library.StartsWith("perf-", StringComparison.Ordinal) || library.Contains("System.Private.CoreLib", StringComparison.Ordinal)
            || library.StartsWith("[JIT]", StringComparison.Ordinal)
            || library.Contains("doublemapper", StringComparison.Ordinal))   // .NET's W^X mapping of JIT-compiled code (our SIMD loops too)
            return Managed;
        foreach (var (category, pattern) in SymbolRules)
            if (pattern.IsMatch(symbol)) return category;
        return Other;
    }

    [GeneratedRegex("gemm|mkl_blas|dnnl|brgemm|matmul|addmm|\\bmm_|bmm", RegexOptions.IgnoreCase)]
    private static partial Regex GemmPattern();
}
