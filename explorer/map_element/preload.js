// Starts downloading Leaflet as soon as the page's first element arrives, while Streamlit is
// still loading the code of the other elements; the map element then finds it ready.
// data = {src}

export default function ({ data }) {
  if ((window.L && window.L.map) || document.querySelector("script[data-ss-leaflet]")) return;
  const script = document.createElement("script");
  script.src = data.src;
  script.dataset.ssLeaflet = "1";
  document.head.appendChild(script);
}
