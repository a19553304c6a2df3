import { parseConnection } from '../../../tools/netpol-analyzer/analyzer';

describe('parseConnection reads the analyzer\'s connection strings', () => {
  test.each([
    ['TCP 8080', ['TCP 8080']],
    ['TCP 53,UDP 53', ['TCP 53', 'UDP 53']],
    ['TCP 80,443,UDP 53', ['TCP 80', 'TCP 443', 'UDP 53']],
    ['TCP 3000-3002', ['TCP 3000', 'TCP 3001', 'TCP 3002']],
    ['All Connections', ['All Connections']],
  ])('%s', (conn, ports) => {
    expect(parseConnection(conn)).toEqual(ports);
  });

  test.each(['No Connections', '8080', 'ICMP 1', ''])('refuses %j', (conn) => {
    expect(() => parseConnection(conn)).toThrow(`k8snetpolicy: cannot read the connection "${conn}"`);
  });
});
