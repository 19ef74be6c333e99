using System.IO.Pipelines;
using System.Net;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using SmtpServer;
using SmtpServer.IO;
using SmtpServer.Net;

namespace PaperFeed.IntegrationTests.Infrastructure;

/// <summary>
/// The SmtpServer package's listener, with Nagle off on each accepted connection. Its default socket holds back the second
/// of two pipelined replies (MAIL FROM, RCPT TO) until the client's delayed ACK: 40 ms per message, whatever the client.
/// Shared with bench/PaperFeed.Bench.
/// </summary>
public sealed class SmtpNoDelayListenerFactory : IEndpointListenerFactory
{
    public IEndpointListener CreateListener(IEndpointDefinition endpointDefinition)
    {
        var listener = new TcpListener(endpointDefinition.Endpoint);
        listener.Start();
        return new Listener(listener);
    }

    private sealed class Listener(TcpListener listener) : IEndpointListener
    {
        public async Task<ISecurableDuplexPipe> GetPipeAsync(ISessionContext context, CancellationToken cancellationToken)
        {
            var client = await listener.AcceptTcpClientAsync(cancellationToken);
            client.NoDelay = true;
            context.Properties.Add(EndpointListener.LocalEndPointKey, listener.LocalEndpoint);
            context.Properties.Add(EndpointListener.RemoteEndPointKey, client.Client.RemoteEndPoint ?? new IPEndPoint(IPAddress.None, 0));
            return new Pipe(client);
        }

        public void Dispose() => listener.Stop();
    }

    /// <summary>Plain TCP only (the package's own pipe, which can start TLS, is internal).</summary>
    private sealed class Pipe(TcpClient client) : ISecurableDuplexPipe
    {
        public PipeReader Input { get; } = PipeReader.Create(client.GetStream());
        public PipeWriter Output { get; } = PipeWriter.Create(client.GetStream());
        public bool IsSecure => false;
        public SslProtocols SslProtocol => SslProtocols.None;

        public Task UpgradeAsync(X509Certificate certificate, SslProtocols protocols, CancellationToken cancellationToken) =>
            throw new NotSupportedException("The test SMTP server speaks plain TCP only.");

        public void Dispose() => client.Dispose();
    }
}
