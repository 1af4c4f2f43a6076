// The interop contract: request/reply operations the harness's tests and suites call by action
// (http://tempuri.org/IInteropService/{Echo,Delay,Fault}).
using CoreWCF;

namespace Interop;

[ServiceContract(Namespace = "http://tempuri.org/", Name = "IInteropService")]
public interface IInteropService
{
    [OperationContract]
    string Echo(string text);

    [OperationContract]
    Task<string> Delay(int ms);

    [OperationContract]
    string Fault(string reason);
}

public sealed class InteropService : IInteropService
{
    // Longest delay honoured, so a bad request cannot hold a call for ever.
    private const int MaxDelayMs = 120_000;

    public string Echo(string text) => text;

    public async Task<string> Delay(int ms)
    {
        var wait = Math.Clamp(ms, 0, MaxDelayMs);
        await Task.Delay(wait);
        return $"slept {wait} ms";
    }

    // A declared SOAP fault: code Sender, the given reason.
    public string Fault(string reason) => throw new FaultException(reason);
}
