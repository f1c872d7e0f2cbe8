using System.Net;

namespace IncidentBot.Drill;

/// <summary>
/// In drill mode every HttpClient the host makes gets this handler: a request to anything but a loopback IP address
/// (a host name included, since a name can resolve anywhere) is refused before it is sent.
/// </summary>
public sealed class LoopbackOnlyHandler(ILogger<LoopbackOnlyHandler> log) : DelegatingHandler
{
    public static bool IsLoopback(Uri? uri) =>
        uri is not null && IPAddress.TryParse(uri.IdnHost.Trim('[', ']'), out var address) && IPAddress.IsLoopback(address);

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (!IsLoopback(request.RequestUri))
        {
            var host = request.RequestUri?.IdnHost ?? "(no address)";
            log.LogWarning("Drill mode refused a request to {Host}: a drill only talks to 127.0.0.1", host);
            throw new HttpRequestException($"Drill mode refused a request to {host}: a drill only talks to 127.0.0.1.");
        }

        return base.SendAsync(request, cancellationToken);
    }
}
