using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Lfr.Host.Web;

/// <summary>
/// Live updates for a page: the server reads the control room every <see cref="Every"/> and sends the page's data
/// only when it has changed. A stream ends after <see cref="Lifetime"/> and the browser's EventSource reconnects,
/// so an expired session or a role taken away is noticed within that time.
/// </summary>
public static class ServerSentEvents
{
    public static readonly TimeSpan Every = TimeSpan.FromSeconds(1);
    public static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(2);

    public static async Task Stream(HttpContext context, Func<Task<object>> read)
    {
        var json = context.RequestServices.GetRequiredService<IOptions<JsonOptions>>().Value.SerializerOptions;
        context.Response.Headers.ContentType = "text/event-stream";
        context.Response.Headers.CacheControl = "no-store";
        using var lifetime = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted);
        lifetime.CancelAfter(Lifetime);
        var last = "";
        try
        {
            while (!lifetime.IsCancellationRequested)
            {
                string message;
                try
                {
                    var data = JsonSerializer.Serialize(await read(), json);
                    message = data == last ? ": unchanged\n\n" : $"data: {data}\n\n";
                    last = data;
                }
                catch (Exception e) when (e is RefusedException or Akka.Actor.AskTimeoutException)
                {
                    message = $"event: problem\ndata: {JsonSerializer.Serialize(new { error = e.Message }, json)}\n\n";
                }

                await context.Response.WriteAsync(message, lifetime.Token);
                await context.Response.Body.FlushAsync(lifetime.Token);
                await Task.Delay(Every, lifetime.Token);
            }
        }
        catch (OperationCanceledException)
        {
            // the page went away, or the stream's lifetime is up and the browser reconnects
        }
    }
}
