using ClassifSae.Benchmarks.Profiling;
using static TorchSharp.torch;

namespace ClassifSae.Tests.Benchmarks;

public class OpProfileTests
{
    // The shape of `perf report --stdio --no-children --sort dso,sym -g none -t ';'` (lines from a real fine-tuning step).
    private const string Report = """
        # Samples: 5K of event 'cpu-clock:ppp'
        # Event count (approx.): 5005005000
        #
        # Overhead;Shared Object;Symbol
        #
         25.00% ;libtorch_cpu.so              ;[.] mkl_blas_avx512_sgemm_kernel_0
         15.00% ;libtorch_cpu.so              ;[.] mkl_blas_avx512_sgemm_kernel_0_b0
         10.00% ;libgomp-98b21ff3.so.1        ;[.] 0x000000000001d3ca
          8.00% ;[kernel.kallsyms]            ;[k] clear_page_erms
          6.00% ;libtorch_cpu.so              ;[.] at::native::(anonymous namespace)::softmax_lastdim_kernel_impl
          5.00% ;libtorch_cpu.so              ;[.] at::native::(anonymous namespace)::LayerNormKernelImplInternal<float, float>
          5.00% ;libtorch_cpu.so              ;[.] at::native::embedding_dense_backward_cpu
          4.00% ;libtorch_cpu.so              ;[.] at::native::(anonymous namespace)::GeluKernelImpl
          4.00% ;libc.so.6                    ;[.] __memset_avx512_unaligned_erms
          4.00% ;libtorch_cpu.so              ;[.] c10::function_ref<void (char**, long const*, long, long)>::callback_fn<at::native::AVX2::VectorizedLoop2d<mul>>
          2.00% ;libcoreclr.so                ;[.] JIT_Patchpoint
          1.00% ;memfd:doublemapper (deleted) ;[.] 0x0000000000ba6885
          3.00% ;libtorch_cpu.so              ;[.] torch::autograd::Engine::evaluate_function
          2.00% ;libc.so.6                    ;[.] malloc
          2.00% ;libtorch_cpu.so              ;[.] at::native::(anonymous namespace)::sum_kernel_impl
          2.00% ;libfoo.so                    ;[.] 0x0000000000001234
          2.00% ;libtorch_cpu.so              ;[.] at::native::(anonymous namespace)::index_add_cpu_
        """;

    [Fact]
    public void Perf_report_lines_become_shares_per_library_and_function()
    {
        var shares = PerfReportParser.Parse(Report);
        Assert.Equal(17, shares.Count);
        Assert.Equal(new PerfSymbolShare(25.0, "libtorch_cpu.so", "mkl_blas_avx512_sgemm_kernel_0"), shares[0]);
        Assert.Equal(new PerfSymbolShare(8.0, "[kernel]", "clear_page_erms"), shares[3]);
        Assert.Equal(100.0, shares.Sum(s => s.Percent), 9);
    }

    [Fact]
    public void Each_function_lands_in_the_kind_of_work_it_does()
    {
        var profile = OpProfile.From("case", 5000, PerfReportParser.Parse(Report));
        Assert.Equal(40.0, profile.Share(OpCategory.Matmul), 9);
        Assert.Equal(10.0, profile.Share(OpCategory.ThreadWait), 9);
        Assert.Equal(8.0, profile.Share(OpCategory.Kernel), 9);
        Assert.Equal(6.0, profile.Share(OpCategory.Softmax), 9);
        Assert.Equal(5.0, profile.Share(OpCategory.Norm), 9);
        Assert.Equal(7.0, profile.Share(OpCategory.Indexing), 9);      // embedding backward + index_add
        Assert.Equal(4.0, profile.Share(OpCategory.Activation), 9);
        Assert.Equal(4.0, profile.Share(OpCategory.Copy), 9);          // memset
        Assert.Equal(4.0, profile.Share(OpCategory.Elementwise), 9);
        Assert.Equal(3.0, profile.Share(OpCategory.Managed), 9);
        Assert.Equal(3.0, profile.Share(OpCategory.Dispatch), 9);
        Assert.Equal(2.0, profile.Share(OpCategory.Allocation), 9);
        Assert.Equal(2.0, profile.Share(OpCategory.Reduction), 9);
        Assert.Equal(2.0, profile.Share(OpCategory.Other), 9);
        Assert.Equal(OpCategory.Matmul, profile.Categories[0].Category);
        Assert.Contains("| matmul (BLAS GEMM) | 40.0 % |", profile.ToMarkdown());
    }

    [Fact]
    public void Shares_are_renormalised_when_the_report_was_cut_at_a_percent_limit()
    {
        var shares = PerfReportParser.Parse(" 30.00% ;libtorch_cpu.so ;[.] sgemm_kernel\n 10.00% ;libgomp.so.1 ;[.] 0x1\n");
        var profile = OpProfile.From("cut", 100, shares);
        Assert.Equal(75.0, profile.Share(OpCategory.Matmul), 9);
        Assert.Equal(25.0, profile.Share(OpCategory.ThreadWait), 9);
    }

    [PerfFact]
    public void A_real_perf_profile_of_a_matmul_loop_is_mostly_gemm_and_of_a_fill_loop_mostly_copies()
    {
        var recorder = PerfFactAttribute.Recorder!;
        using var a = randn(768, 768);
        using var b = randn(768, 768);
        var gemm = recorder.Profile("gemm", () =>
        {
            for (var i = 0; i < 300; i++) { using var c = a.matmul(b); }
        });
        // The test host's own threads (xunit, the JIT) take some samples too: GEMM must lead, by far.
        Assert.True(gemm.Share(OpCategory.Matmul) > 40 && gemm.Categories[0].Category == OpCategory.Matmul, gemm.ToMarkdown());

        using var big = empty(32L << 20);
        var fill = recorder.Profile("fill", () =>
        {
            for (var i = 0; i < 40; i++) big.fill_(i);
        });
        Assert.True(fill.Share(OpCategory.Matmul) < 5, fill.ToMarkdown());
        Assert.True(fill.Share(OpCategory.Copy) + fill.Share(OpCategory.Elementwise) > 30, fill.ToMarkdown());
        Assert.Contains(fill.Categories[0].Category, new[] { OpCategory.Copy, OpCategory.Elementwise });
    }
}
