//! A minimal PNG encoder: one IDAT of zlib-compressed rows, each with no
//! filter, enough for a chart drawn into an RGB buffer.
use std::io::Write;

use flate2::Crc;
use flate2::write::ZlibEncoder;

const SIGNATURE: &[u8] = b"\x89PNG\r\n\x1a\n";

/// `rgb` (8-bit red, green, blue, row by row) as a PNG file.
pub fn encode_rgb(width: u32, height: u32, rgb: &[u8]) -> std::io::Result<Vec<u8>> {
    let row = width as usize * 3;
    let mut deflate = ZlibEncoder::new(Vec::new(), flate2::Compression::default());
    for line in rgb.chunks(row).take(height as usize) {
        // Filter type 0: the row as it is.
        deflate.write_all(&[0])?;
        deflate.write_all(line)?;
    }
    let data = deflate.finish()?;
    let mut header = Vec::with_capacity(13);
    header.extend_from_slice(&width.to_be_bytes());
    header.extend_from_slice(&height.to_be_bytes());
    // 8 bits per sample, truecolour, deflate, no filter choice, no interlace.
    header.extend_from_slice(&[8, 2, 0, 0, 0]);
    let mut png = SIGNATURE.to_vec();
    chunk(&mut png, b"IHDR", &header);
    chunk(&mut png, b"IDAT", &data);
    chunk(&mut png, b"IEND", &[]);
    Ok(png)
}

/// Length, type, data and the CRC of type and data.
fn chunk(png: &mut Vec<u8>, kind: &[u8; 4], data: &[u8]) {
    png.extend_from_slice(&(data.len() as u32).to_be_bytes());
    png.extend_from_slice(kind);
    png.extend_from_slice(data);
    let mut crc = Crc::new();
    crc.update(kind);
    crc.update(data);
    png.extend_from_slice(&crc.sum().to_be_bytes());
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_png_has_its_signature_header_and_checksums() {
        let png = encode_rgb(2, 1, &[255, 0, 0, 0, 0, 255]).unwrap();
        assert_eq!(&png[..8], SIGNATURE);
        assert_eq!(&png[12..16], b"IHDR");
        assert_eq!(&png[16..24], &[0, 0, 0, 2, 0, 0, 0, 1]);
        // The CRC of an empty IEND chunk is fixed by the format.
        assert_eq!(&png[png.len() - 8..], b"IEND\xae\x42\x60\x82");
        // The pixels come back out of the zlib stream.
        let idat_len = u32::from_be_bytes(png[33..37].try_into().unwrap()) as usize;
        let mut rows = Vec::new();
        std::io::Read::read_to_end(
            &mut flate2::read::ZlibDecoder::new(&png[41..41 + idat_len]),
            &mut rows,
        )
        .unwrap();
        assert_eq!(rows, [0, 255, 0, 0, 0, 0, 255]);
    }
}
