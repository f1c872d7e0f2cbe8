using System.Net.Sockets;
using System.Text;

namespace IncidentBot.Slack.Tests.Support;

/// <summary>
/// HTTP/1.1 by hand on a loopback socket, for what HttpClient won't do: send headers that promise a body and then
/// send none (or only part of it), so a test can see whether the server answers before reading the body.
/// </summary>
public static class RawHttp
{
    /// <summary>Sends the request line and headers, then <paramref name="body"/> (whatever part of the promised body), and reads the answer.</summary>
    public static async Task<(int Status, string Body)> SendAsync(Uri baseAddress, string path, IEnumerable<(string Name, string Value)> headers, byte[]? body = null)
    {
        using var client = new TcpClient();
        await client.ConnectAsync(baseAddress.Host, baseAddress.Port).WaitAsync(TimeSpan.FromSeconds(20));
        var stream = client.GetStream();
        var head = new StringBuilder($"POST {path} HTTP/1.1\r\nHost: {baseAddress.Authority}\r\n");
        foreach (var (name, value) in headers)
        {
            head.Append(name).Append(": ").Append(value).Append("\r\n");
        }

        head.Append("\r\n");
        await stream.WriteAsync(Encoding.ASCII.GetBytes(head.ToString()));
        if (body is not null)
        {
            await stream.WriteAsync(body);
        }

        await stream.FlushAsync();
        return await ReadAnswerAsync(stream).WaitAsync(TimeSpan.FromSeconds(20));
    }

    private static async Task<(int Status, string Body)> ReadAnswerAsync(NetworkStream stream)
    {
        var received = new List<byte>();
        var buffer = new byte[4096];
        int headEnd;
        while ((headEnd = IndexOf(received, "\r\n\r\n"u8.ToArray())) < 0)
        {
            var read = await stream.ReadAsync(buffer);
            if (read == 0)
            {
                throw new IOException("The server closed the connection without an answer");
            }

            received.AddRange(buffer.AsSpan(0, read).ToArray());
        }

        var head = Encoding.ASCII.GetString(received.GetRange(0, headEnd).ToArray());
        var status = int.Parse(head.Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture);
        var lengthLine = head.Split("\r\n").FirstOrDefault(l => l.StartsWith("Content-Length:", StringComparison.OrdinalIgnoreCase));
        var length = lengthLine is null ? 0 : int.Parse(lengthLine["Content-Length:".Length..].Trim(), System.Globalization.CultureInfo.InvariantCulture);
        var bodyStart = headEnd + 4;
        while (received.Count < bodyStart + length)
        {
            var read = await stream.ReadAsync(buffer);
            if (read == 0)
            {
                break;
            }

            received.AddRange(buffer.AsSpan(0, read).ToArray());
        }

        return (status, Encoding.UTF8.GetString(received.Skip(bodyStart).Take(length).ToArray()));
    }

    private static int IndexOf(List<byte> haystack, byte[] needle)
    {
        for (var i = 0; i <= haystack.Count - needle.Length; i++)
        {
            var match = true;
            for (var j = 0; j < needle.Length && match; j++)
            {
                match = haystack[i + j] == needle[j];
            }

            if (match)
            {
                return i;
            }
        }

        return -1;
    }
}
