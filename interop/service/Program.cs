// Runs the interop service on 127.0.0.1:PORT until SIGTERM/SIGINT or, unless --ignore-stdin, until stdin
// closes (so it dies with the process that started it). Endpoints:
//   net.tcp://127.0.0.1:PORT/echo  NetTcpBinding, SecurityMode.None (binary session encoding)
//   net.tcp://127.0.0.1:PORT/text  TCP transport with SOAP 1.2 text encoding (WS-Addressing 1.0)
// Prints one line, "READY net.tcp://127.0.0.1:PORT/", once it listens.
using System.Net;
using System.Text;
using CoreWCF;
using CoreWCF.Channels;
using CoreWCF.Configuration;
using Interop;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

int port = 0;
bool watchStdin = true;
for (int i = 0; i < args.Length; i++)
{
    if (args[i] == "--port" && i + 1 < args.Length && int.TryParse(args[i + 1], out var p) && p is > 0 and < 65536)
    {
        port = p;
        i++;
    }
    else if (args[i] == "--ignore-stdin")
    {
        watchStdin = false;
    }
    else
    {
        Console.Error.WriteLine($"unexpected argument {args[i]}");
        port = 0;
        break;
    }
}
if (port == 0)
{
    Console.Error.WriteLine("usage: InteropService --port PORT [--ignore-stdin]");
    return 2;
}

var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = [] });
// stdout carries the ready line only; diagnostics go to stderr.
builder.Logging.ClearProviders();
builder.Logging.AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
builder.Logging.SetMinimumLevel(LogLevel.Warning);
// CoreWCF adds the net.tcp listener to Kestrel's explicit endpoints, so Kestrel opens no HTTP port.
builder.WebHost.UseNetTcp(IPAddress.Loopback, port);
builder.Services.AddServiceModelServices();

var app = builder.Build();
app.UseServiceModel(services =>
{
    services.AddService<InteropService>();
    services.AddServiceEndpoint<InteropService, IInteropService>(new NetTcpBinding(SecurityMode.None), "/echo");
    var text = new CustomBinding(
        new TextMessageEncodingBindingElement(MessageVersion.Soap12WSAddressing10, Encoding.UTF8),
        new TcpTransportBindingElement());
    services.AddServiceEndpoint<InteropService, IInteropService>(text, "/text");
});

await app.StartAsync();
Console.Out.WriteLine($"READY net.tcp://127.0.0.1:{port}/");
Console.Out.Flush();

var lifetime = app.Services.GetRequiredService<IHostApplicationLifetime>();
var stopping = new TaskCompletionSource();
lifetime.ApplicationStopping.Register(() => stopping.TrySetResult());
var waits = new List<Task> { stopping.Task };
if (watchStdin)
{
    waits.Add(Task.Run(() =>
    {
        try
        {
            var stdin = Console.OpenStandardInput();
            var buf = new byte[256];
            while (stdin.Read(buf, 0, buf.Length) > 0) { }
        }
        catch (IOException) { }
    }));
}
await Task.WhenAny(waits);
await app.StopAsync(TimeSpan.FromSeconds(5));
return 0;
