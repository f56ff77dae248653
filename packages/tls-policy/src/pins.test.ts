// Pin format and matching, table-driven (RFC 7469 §2.4): canonical base64 of 32 bytes, exact match.
import { describe, expect, it } from 'vitest';
import { isWellFormedPin, pinMatches } from './pins';

describe('pins (RFC 7469 §2.4: base64 SHA-256 of the SPKI)', () => {
  it.each([
    ['n3dNcH43TClpDuyYl55ascxaXrI2u3vOxzdn4x6rVMo=', true],
    ['AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=', true],
    ['AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAB=', false], // non-canonical padding bits
    ['n3dNcH43TClpDuyYl55ascxaXrI2u3vOxzdn4x6rVMo', false], // unpadded
    ['sha256/n3dNcH43TClpDuyYl55ascxaXrI2u3vOxzdn4x6rVMo=', false],
    ['9f:77:4d:70', false],
    ['', false],
  ])('%s -> %s', (pin, expected) => {
    expect(isWellFormedPin(pin)).toBe(expected);
  });

  it('matches any one configured pin exactly', () => {
    const pins = [
      'AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=',
      'n3dNcH43TClpDuyYl55ascxaXrI2u3vOxzdn4x6rVMo=',
    ];
    expect(pinMatches(pins, 'n3dNcH43TClpDuyYl55ascxaXrI2u3vOxzdn4x6rVMo=')).toBe(true);
    expect(pinMatches(pins, 'N3dNcH43TClpDuyYl55ascxaXrI2u3vOxzdn4x6rVMo=')).toBe(false);
    expect(pinMatches([], 'n3dNcH43TClpDuyYl55ascxaXrI2u3vOxzdn4x6rVMo=')).toBe(false);
  });
});
