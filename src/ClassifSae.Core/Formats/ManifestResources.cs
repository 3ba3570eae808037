using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;

namespace ClassifSae.Formats;

/// <summary>
/// Reads a .NET assembly's embedded manifest resources straight from its PE file (no loading, so the assembly's own
/// dependencies need not be present): each resource is a 4-byte length then its bytes, in the CLI resources directory.
/// </summary>
public static class ManifestResources
{
    public static byte[] Read(string assemblyPath, string resourceName)
    {
        if (!File.Exists(assemblyPath)) throw new FileNotFoundException($"{assemblyPath}: assembly not found", assemblyPath);
        using var stream = File.OpenRead(assemblyPath);
        using var pe = new PEReader(stream);
        if (!pe.HasMetadata || pe.PEHeaders.CorHeader is null) throw new InvalidDataException($"{assemblyPath}: not a .NET assembly");
        var metadata = pe.GetMetadataReader();
        var directory = pe.PEHeaders.CorHeader.ResourcesDirectory;
        foreach (var handle in metadata.ManifestResources)
        {
            var resource = metadata.GetManifestResource(handle);
            if (!resource.Implementation.IsNil || metadata.GetString(resource.Name) != resourceName) continue;
            var block = pe.GetSectionData(directory.RelativeVirtualAddress);
            var reader = block.GetReader((int)resource.Offset, directory.Size - (int)resource.Offset);
            var length = reader.ReadInt32();
            if (length < 0 || length > reader.RemainingBytes) throw new InvalidDataException($"{assemblyPath}: resource '{resourceName}' is truncated");
            return reader.ReadBytes(length);
        }
        throw new InvalidDataException($"{assemblyPath}: no embedded resource '{resourceName}'");
    }
}
