using ClassifSae.Benchmarks;

namespace ClassifSae.Tests.Benchmarks;

/// <summary>
/// A fact that needs python3 with torch (Debian's python3-torch, installed by the Test target's
/// build/native/ensure-python-packages.sh). Without it the test is reported as skipped, with the reason — never as passed.
/// </summary>
public sealed class PyTorchFactAttribute : FactAttribute
{
    private static readonly (PyTorchReference? Reference, string Why) Found = PyTorchReference.Find(RepoPaths.Root);

    public static PyTorchReference? Reference => Found.Reference;

    public PyTorchFactAttribute()
    {
        if (Found.Reference is null) Skip = Found.Why;
    }
}
