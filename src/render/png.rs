//! Charts as PNG files: the RGB buffer plotters drew, encoded by the `png`
//! crate.

/// `rgb` (8-bit red, green, blue, row by row) as a PNG file.
pub fn encode_rgb(width: u32, height: u32, rgb: &[u8]) -> std::io::Result<Vec<u8>> {
    let mut png = Vec::new();
    let mut encoder = png::Encoder::new(&mut png, width, height);
    encoder.set_color(png::ColorType::Rgb);
    encoder.set_depth(png::BitDepth::Eight);
    let mut writer = encoder.write_header().map_err(std::io::Error::other)?;
    writer
        .write_image_data(rgb)
        .map_err(std::io::Error::other)?;
    writer.finish().map_err(std::io::Error::other)?;
    Ok(png)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_pixels_come_back_out_of_the_png() {
        let pixels = [255, 0, 0, 0, 0, 255];
        let file = encode_rgb(2, 1, &pixels).unwrap();
        assert_eq!(&file[..8], b"\x89PNG\r\n\x1a\n");
        let mut reader = png::Decoder::new(std::io::Cursor::new(&file))
            .read_info()
            .unwrap();
        let mut decoded = vec![0; reader.output_buffer_size().unwrap()];
        let info = reader.next_frame(&mut decoded).unwrap();
        assert_eq!((info.width, info.height), (2, 1));
        assert_eq!(info.color_type, png::ColorType::Rgb);
        assert_eq!(&decoded[..info.buffer_size()], &pixels);
    }

    #[test]
    fn a_buffer_of_the_wrong_size_is_an_error_not_a_panic() {
        assert!(encode_rgb(2, 2, &[0; 6]).is_err());
    }
}
