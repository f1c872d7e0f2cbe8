using System.Buffers.Binary;
using System.IO.Compression;

namespace IncidentBot.Teams.Tests.Support;

public readonly record struct Rgba(byte R, byte G, byte B, byte A);

/// <summary>Just enough of PNG to check the icons: size, and the pixels of an 8-bit RGBA image (every filter type).</summary>
public sealed record Png(int Width, int Height, IReadOnlyList<Rgba> Pixels)
{
    public static Png Read(string path)
    {
        var bytes = File.ReadAllBytes(path);
        Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A], bytes[..8]);
        int width = 0, height = 0;
        var data = new MemoryStream();
        for (var at = 8; at < bytes.Length;)
        {
            var length = BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(at));
            var type = System.Text.Encoding.ASCII.GetString(bytes, at + 4, 4);
            var body = bytes.AsSpan(at + 8, length);
            if (type == "IHDR")
            {
                width = BinaryPrimitives.ReadInt32BigEndian(body);
                height = BinaryPrimitives.ReadInt32BigEndian(body[4..]);
                Assert.Equal((8, 6), (body[8], body[9])); // 8 bits per channel, RGBA
            }
            else if (type == "IDAT")
            {
                data.Write(body);
            }

            at += 12 + length;
        }

        data.Position = 0;
        using var inflated = new ZLibStream(data, CompressionMode.Decompress);
        var raw = new MemoryStream();
        inflated.CopyTo(raw);
        return new Png(width, height, Unfilter(raw.ToArray(), width, height));
    }

    private static List<Rgba> Unfilter(byte[] raw, int width, int height)
    {
        var stride = width * 4;
        var previous = new byte[stride];
        var pixels = new List<Rgba>(width * height);
        for (var y = 0; y < height; y++)
        {
            var filter = raw[y * (stride + 1)];
            var line = raw.AsSpan(y * (stride + 1) + 1, stride).ToArray();
            for (var i = 0; i < stride; i++)
            {
                int left = i >= 4 ? line[i - 4] : 0, up = previous[i], upLeft = i >= 4 ? previous[i - 4] : 0;
                line[i] = (byte)(line[i] + filter switch
                {
                    0 => 0,
                    1 => left,
                    2 => up,
                    3 => (left + up) / 2,
                    4 => Paeth(left, up, upLeft),
                    _ => throw new InvalidDataException($"PNG filter {filter}"),
                });
            }

            for (var x = 0; x < width; x++)
            {
                pixels.Add(new Rgba(line[x * 4], line[x * 4 + 1], line[x * 4 + 2], line[x * 4 + 3]));
            }

            previous = line;
        }

        return pixels;
    }

    private static int Paeth(int a, int b, int c)
    {
        var p = a + b - c;
        int pa = Math.Abs(p - a), pb = Math.Abs(p - b), pc = Math.Abs(p - c);
        return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
    }
}
