using System.Buffers.Binary;
using System.Text.Json;

namespace Medley.PluginPackaging.Tests;

/// <summary>Reads one F32 tensor from a checkpoint folder's safetensors files, written from the format's definition.</summary>
public static class SafetensorsValues
{
    public static float[] Read(string folder, string tensorName)
    {
        foreach (var file in Directory.EnumerateFiles(folder, "*.safetensors").Order(StringComparer.Ordinal))
        {
            using var stream = File.OpenRead(file);
            Span<byte> lengthBytes = stackalloc byte[8];
            stream.ReadExactly(lengthBytes);
            var headerLength = checked((int)BinaryPrimitives.ReadUInt64LittleEndian(lengthBytes));
            var header = new byte[headerLength];
            stream.ReadExactly(header);
            using var document = JsonDocument.Parse(header);
            if (!document.RootElement.TryGetProperty(tensorName, out var entry))
            {
                continue;
            }

            Assert.Equal("F32", entry.GetProperty("dtype").GetString());
            var offsets = entry.GetProperty("data_offsets");
            var begin = offsets[0].GetInt64();
            var end = offsets[1].GetInt64();
            var data = new byte[end - begin];
            stream.Position = 8 + headerLength + begin;
            stream.ReadExactly(data);
            var values = new float[data.Length / 4];
            for (var i = 0; i < values.Length; i++)
            {
                values[i] = BinaryPrimitives.ReadSingleLittleEndian(data.AsSpan(i * 4));
            }

            return values;
        }

        throw new InvalidOperationException($"No safetensors file in {folder} holds {tensorName}.");
    }
}
