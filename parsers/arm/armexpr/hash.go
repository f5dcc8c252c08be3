package armexpr

import (
	"crypto/sha1" //nolint:gosec // ARM's guid() is a SHA-1 name-based (version 5) UUID; not used for security
	"encoding/hex"
	"math/bits"
)

// UniqueString returns what ARM's uniqueString() returns for the
// hyphen-joined arguments s: Azure Resource Manager's 64-bit MurmurHash
// variant of the UTF-8 bytes, written as 13 base-32 characters
// (a–z, 2–7), most significant bits first.
func UniqueString(s string) string {
	h := murmurHash64([]byte(s))
	const alphabet = "abcdefghijklmnopqrstuvwxyz234567"
	var out [13]byte
	for i := range out {
		out[i] = alphabet[h>>59]
		h <<= 5
	}
	return string(out[:])
}

// murmurHash64 is the 64-bit MurmurHash variant of Azure Resource Manager
// (two 32-bit lanes, MurmurHash3 x86 constants, seed 0).
func murmurHash64(data []byte) uint64 {
	const (
		c1 uint32 = 0x239b961b
		c2 uint32 = 0xab0e9789
	)
	le32 := func(b []byte) uint32 {
		var v uint32
		for i := len(b) - 1; i >= 0; i-- {
			v = v<<8 | uint32(b[i])
		}
		return v
	}
	n := len(data)
	var h1, h2 uint32
	i := 0
	for ; i+8 <= n; i += 8 {
		k1 := le32(data[i : i+4])
		k2 := le32(data[i+4 : i+8])
		k1 *= c1
		k1 = bits.RotateLeft32(k1, 15)
		k1 *= c2
		h1 ^= k1
		h1 = bits.RotateLeft32(h1, 19)
		h1 += h2
		h1 = h1*5 + 0x561ccd1b
		k2 *= c2
		k2 = bits.RotateLeft32(k2, 17)
		k2 *= c1
		h2 ^= k2
		h2 = bits.RotateLeft32(h2, 13)
		h2 += h1
		h2 = h2*5 + 0x0bcaa747
	}
	if tail := n - i; tail > 0 {
		k1 := le32(data[i : i+min(tail, 4)])
		k1 *= c1
		k1 = bits.RotateLeft32(k1, 15)
		k1 *= c2
		h1 ^= k1
		if tail > 4 {
			k2 := le32(data[i+4 : n])
			k2 *= c2
			k2 = bits.RotateLeft32(k2, 17)
			k2 *= c1
			h2 ^= k2
		}
	}
	h1 ^= uint32(n) //nolint:gosec // the length is mixed in modulo 2^32, as ARM does
	h2 ^= uint32(n) //nolint:gosec // as above
	h1 += h2
	h2 += h1
	h1 = fmix32(h1)
	h2 = fmix32(h2)
	h1 += h2
	h2 += h1
	return uint64(h2)<<32 | uint64(h1)
}

func fmix32(h uint32) uint32 {
	h ^= h >> 16
	h *= 0x85ebca6b
	h ^= h >> 13
	h *= 0xc2b2ae35
	h ^= h >> 16
	return h
}

// guidNamespace is the namespace ARM hashes guid() arguments in:
// 11fb06fb-712d-4ddd-98c7-e71bbd588830.
func guidNamespace() [16]byte {
	return [16]byte{0x11, 0xfb, 0x06, 0xfb, 0x71, 0x2d, 0x4d, 0xdd, 0x98, 0xc7, 0xe7, 0x1b, 0xbd, 0x58, 0x88, 0x30}
}

// GUID returns what ARM's guid() returns for the hyphen-joined arguments
// s: the RFC 4122 version 5 (SHA-1, name-based) UUID of the UTF-8 bytes of
// s in the namespace 11fb06fb-712d-4ddd-98c7-e71bbd588830, lower case.
func GUID(s string) string {
	ns := guidNamespace()
	h := sha1.New() //nolint:gosec // see the import
	h.Write(ns[:])
	h.Write([]byte(s))
	sum := h.Sum(nil)
	var u [16]byte
	copy(u[:], sum[:16])
	u[6] = u[6]&0x0f | 0x50
	u[8] = u[8]&0x3f | 0x80
	var buf [36]byte
	hex.Encode(buf[0:8], u[0:4])
	buf[8] = '-'
	hex.Encode(buf[9:13], u[4:6])
	buf[13] = '-'
	hex.Encode(buf[14:18], u[6:8])
	buf[18] = '-'
	hex.Encode(buf[19:23], u[8:10])
	buf[23] = '-'
	hex.Encode(buf[24:36], u[10:16])
	return string(buf[:])
}
