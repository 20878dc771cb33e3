"""Spanish (es-ES) answers, written by hand. ⟨name⟩ marks a figure of the product's data
exactly as the prompt gives it (Babel's format for the locale), filled in on loading."""

PD, MC = "product_description", "marketing_copy"

GOOD = [
    ("lamp", PD, {
        "title": "Lámpara de escritorio de roble macizo",
        "short_description": "Una lámpara de escritorio de roble macizo con luz cálida, pensada "
                             "para leer y trabajar sin cansar la vista.",
        "description": "La Oak desk lamp de Nordic Home nace de una pieza de roble macizo "
                       "trabajada a mano. Mide ⟨height⟩ de alto, lo justo para iluminar el "
                       "teclado o el libro sin deslumbrar a quien se sienta enfrente.\n\n"
                       "Admite bombillas de rosca E27, así que puedes elegir el tono de luz "
                       "que prefieras. Su base pesada evita que se vuelque y la madera, con el "
                       "tiempo, gana un color miel precioso. Precio: ⟨price⟩.",
        "bullets": ["Roble macizo con acabado al aceite natural",
                    "Altura de ⟨height⟩, ideal para el escritorio",
                    "Compatible con bombillas de rosca E27"],
        "meta_description": "Lámpara de escritorio de roble macizo de Nordic Home: luz cálida, "
                            "⟨height⟩ de altura y bombilla E27. Por ⟨price⟩.",
    }),
    ("lamp", PD, {
        "title": "Oak desk lamp: la luz cálida de la madera",
        "short_description": "Madera noble y luz tranquila para su mesa de trabajo, con la "
                             "sencillez que caracteriza a Nordic Home.",
        "description": "¿Busca una lámpara que aporte calidez sin renunciar a la "
                       "funcionalidad? La Oak desk lamp combina una base de roble macizo con "
                       "una pantalla discreta que dirige la luz hacia donde usted la necesita."
                       "\n\nCon ⟨height⟩ de altura, encaja en escritorios, mesillas y "
                       "estanterías. Funciona con bombillas E27 de bajo consumo y cada pieza "
                       "muestra las vetas únicas de la madera.",
        "bullets": ["Base estable de roble macizo", "Luz orientada y sin deslumbramientos",
                    "Se adapta a cualquier bombilla de rosca E27"],
        "meta_description": "Descubra la Oak desk lamp de Nordic Home, una lámpara de roble "
                            "macizo que da una luz cálida y cuidada a su escritorio.",
    }),
    ("mug", PD, {
        "title": "Taza de gres esmaltada a mano",
        "short_description": "Una taza de gres de ⟨capacity⟩ esmaltada a mano, tan agradable "
                             "en la mano como en la mesa del desayuno.",
        "description": "Cada Stoneware mug se esmalta a mano, por eso no hay dos iguales: el "
                       "color cambia ligeramente de una pieza a otra y eso es parte de su "
                       "encanto. Caben ⟨capacity⟩, perfectos para un café largo o un té con "
                       "calma.\n\nEl gres conserva el calor durante más tiempo que la "
                       "porcelana fina y resiste el uso diario. Además, puedes meterla en el "
                       "lavavajillas sin miedo.",
        "bullets": ["Esmaltada a mano, cada taza es única", "Capacidad de ⟨capacity⟩ para "
                    "tu café de la mañana", "Apta para el lavavajillas"],
        "meta_description": "Taza de gres esmaltada a mano de ⟨capacity⟩, apta para "
                            "lavavajillas. Cada pieza es única. Por solo ⟨price⟩.",
    }),
    ("mug", PD, {
        "title": "Stoneware mug de Nordic Home",
        "short_description": "Gres resistente, esmalte artesanal y ⟨capacity⟩ de capacidad: "
                             "la taza de todos los días, pero especial.",
        "description": "Hay tazas que se usan y tazas que se eligen cada mañana. Esta es de "
                       "las segundas. Su gres grueso mantiene la bebida caliente y su asa "
                       "cómoda permite sujetarla sin quemarse.\n\nEl esmalte se aplica a "
                       "mano, así que cada taza tiene matices propios. Es apta para el "
                       "lavavajillas y cuesta ⟨price⟩.",
        "bullets": ["Gres grueso que mantiene el calor", "Asa cómoda y bien equilibrada",
                    "Matices de color distintos en cada pieza"],
        "meta_description": "Stoneware mug de Nordic Home: taza de gres de ⟨capacity⟩ con "
                            "esmalte artesanal, apta para lavavajillas.",
    }),
    ("throw", PD, {
        "title": "Manta de lana merino para el sofá",
        "short_description": "Una manta suave de lana merino que abriga sin pesar, perfecta "
                             "para las tardes de invierno.",
        "description": "La Wool throw de Nordic Home está tejida con lana merino, una fibra "
                       "fina que no pica y regula la temperatura. Mide ⟨size⟩, un tamaño "
                       "generoso para taparse en el sofá o vestir los pies de la cama.\n\n"
                       "Su tejido transpirable mantiene el calor sin agobiar, y sus colores "
                       "sobrios combinan con cualquier salón. Un pequeño lujo que se nota "
                       "cada noche.",
        "bullets": ["Lana merino suave que no pica", "Tamaño generoso de ⟨size⟩",
                    "Abriga sin pesar y deja transpirar"],
        "meta_description": "Manta de lana merino de ⟨size⟩: suave, cálida y transpirable. "
                            "Descúbrela en Nordic Home por ⟨price⟩.",
    }),
    ("throw", PD, {
        "title": "Wool throw, calor natural en casa",
        "short_description": "Lana merino, tacto suave y un tamaño de ⟨size⟩ pensado para "
                             "compartir el sofá.",
        "description": "¿Frío en las noches de película? Esta manta de lana merino es la "
                       "respuesta. Ligera pero cálida, se dobla con facilidad y queda bonita "
                       "sobre el respaldo del sofá cuando no se usa.\n\nLa lana merino es "
                       "una fibra natural que absorbe la humedad y mantiene una temperatura "
                       "agradable. Con sus ⟨size⟩ cabe más de una persona debajo.",
        "bullets": ["Fibra natural que regula la temperatura",
                    "Ligera, cálida y fácil de doblar", "Queda bonita a la vista en el sofá"],
        "meta_description": "Wool throw de lana merino, ⟨size⟩. Calor natural y tacto suave "
                            "para tu salón. Precio: ⟨price⟩.",
    }),
    ("chair", PD, {
        "title": "Silla de comedor de fresno",
        "short_description": "Una silla de fresno con asiento de cordón de papel trenzado, "
                             "ligera, firme y muy cómoda.",
        "description": "La Ash dining chair combina la madera clara del fresno con un "
                       "asiento de cordón de papel trenzado a mano. Es resistente y, a la "
                       "vez, sorprendentemente ligera: pesa ⟨weight⟩, así que se mueve con "
                       "una sola mano.\n\nLa altura del asiento, ⟨seat_height⟩, se adapta a "
                       "la mayoría de las mesas de comedor. Su diseño sencillo encaja tanto "
                       "en cocinas modernas como en salones de estilo nórdico.",
        "bullets": ["Estructura de madera de fresno", "Asiento de cordón de papel trenzado",
                    "Ligera: solo ⟨weight⟩"],
        "meta_description": "Silla de comedor de fresno con asiento trenzado, de ⟨weight⟩ y "
                            "altura de asiento de ⟨seat_height⟩. Por ⟨price⟩.",
    }),
    ("kettle", PD, {
        "title": "Hervidor de vidrio de ⟨capacity⟩",
        "short_description": "Un hervidor de vidrio transparente con ⟨power⟩ de potencia "
                             "para tener el agua lista en un momento.",
        "description": "Con el Glass kettle ves el agua hervir a través del vidrio, algo "
                       "tan práctico como agradable. Su capacidad de ⟨capacity⟩ da para "
                       "varias tazas de té o para preparar la cafetera de toda la familia."
                       "\n\nLos ⟨power⟩ de potencia calientan el agua con rapidez y el "
                       "hervidor se apaga solo cuando termina. El vidrio no guarda olores ni "
                       "sabores, así que el té sabe siempre a té.",
        "bullets": ["Vidrio transparente que no guarda olores",
                    "Capacidad de ⟨capacity⟩ para toda la familia",
                    "Potencia de ⟨power⟩ para hervir en poco tiempo"],
        "meta_description": "Hervidor de vidrio de ⟨capacity⟩ y ⟨power⟩: rápido, limpio y "
                            "bonito en tu cocina. Por ⟨price⟩.",
    }),
    ("bottle", PD, {
        "title": "Botella térmica de acero inoxidable",
        "short_description": "Una botella de acero de ⟨capacity⟩ que mantiene el agua fría "
                             "durante ⟨keeps_cold⟩ y el café caliente durante ⟨keeps_hot⟩.",
        "description": "La Steel water bottle te acompaña al trabajo, al gimnasio o a la "
                       "montaña. Su doble pared de acero inoxidable conserva las bebidas "
                       "frías hasta ⟨keeps_cold⟩ y calientes hasta ⟨keeps_hot⟩.\n\nCon "
                       "⟨capacity⟩ de capacidad, tienes agua para toda la jornada. El tapón "
                       "cierra bien y no gotea en la mochila. Una compra sencilla que ahorra "
                       "muchas botellas de plástico.",
        "bullets": ["Frío durante ⟨keeps_cold⟩, calor durante ⟨keeps_hot⟩",
                    "Capacidad de ⟨capacity⟩ para todo el día",
                    "Tapón hermético que no gotea"],
        "meta_description": "Botella térmica de acero inoxidable de ⟨capacity⟩: frío "
                            "⟨keeps_cold⟩, calor ⟨keeps_hot⟩. Por ⟨price⟩.",
    }),
    ("bottle", PD, {
        "title": "Steel water bottle para el día a día",
        "short_description": "Acero inoxidable, doble pared y ⟨capacity⟩: tu bebida a la "
                             "temperatura justa, vayas donde vayas.",
        "description": "¡Despídete del agua tibia! Esta botella de acero inoxidable mantiene "
                       "el frío durante ⟨keeps_cold⟩, ideal para los días de calor o las "
                       "rutas largas. En invierno, llévala con té o caldo: seguirá caliente "
                       "⟨keeps_hot⟩ después.\n\nEs resistente a los golpes, no transmite "
                       "sabores y se limpia con facilidad. Su diseño sobrio queda bien en la "
                       "oficina y en la mochila.",
        "bullets": ["Doble pared de acero inoxidable", "No transmite sabores ni olores",
                    "Resistente a los golpes del día a día"],
        "meta_description": "Steel water bottle de Nordic Home: ⟨capacity⟩, bebidas frías "
                            "⟨keeps_cold⟩ y calientes ⟨keeps_hot⟩.",
    }),
    ("cushion", PD, {
        "title": "Fundas de cojín de lino lavado",
        "short_description": "Un juego de ⟨pack_size⟩ de lino lavado, con ese tacto suave y "
                             "arrugado que da calidez a cualquier sofá.",
        "description": "Las Linen cushion cover de Nordic Home están confeccionadas en lino "
                       "lavado, un tejido natural que se vuelve más suave con cada lavado. "
                       "Miden ⟨size⟩ y se venden en un juego de ⟨pack_size⟩.\n\nSu "
                       "cremallera oculta deja un acabado limpio y facilita quitarlas para "
                       "lavarlas. Combínalas con otros tonos neutros para crear un rincón "
                       "acogedor y natural.",
        "bullets": ["Lino lavado de tacto suave", "Juego de ⟨pack_size⟩ de ⟨size⟩",
                    "Cremallera oculta y fácil de lavar"],
        "meta_description": "Fundas de cojín de lino lavado, ⟨size⟩, juego de "
                            "⟨pack_size⟩. Suaves, naturales y fáciles de lavar.",
    }),
    ("backpack", PD, {
        "title": "Mochila urbana de ⟨capacity⟩",
        "short_description": "Una mochila ligera de ⟨capacity⟩ con funda acolchada para "
                             "portátiles de hasta ⟨laptop⟩.",
        "description": "La City backpack está pensada para quien se mueve por la ciudad en "
                       "metro, bici o a pie. Pesa solo ⟨weight⟩ y ofrece ⟨capacity⟩ de "
                       "espacio bien organizado.\n\nEl compartimento acolchado protege "
                       "portátiles de hasta ⟨laptop⟩, y los bolsillos interiores mantienen "
                       "a mano las llaves, el móvil y los auriculares. Las correas anchas "
                       "reparten el peso y no se clavan en los hombros.",
        "bullets": ["Funda acolchada para portátiles de hasta ⟨laptop⟩",
                    "Muy ligera: ⟨weight⟩", "Correas anchas y cómodas"],
        "meta_description": "Mochila urbana City backpack de ⟨capacity⟩ y ⟨weight⟩, con "
                            "funda para portátil de ⟨laptop⟩. Por ⟨price⟩.",
    }),
    ("candle", PD, {
        "title": "Vela de soja con aroma a bosque",
        "short_description": "Una vela de cera de soja que llena la casa de un aroma fresco "
                             "a bosque durante ⟨burn_time⟩.",
        "description": "La Soy candle Forest está hecha con cera de soja natural y una mecha "
                       "de algodón que arde de forma limpia y pareja. Sus ⟨weight⟩ de cera "
                       "dan para ⟨burn_time⟩ de luz suave.\n\nSu aroma recuerda a un paseo "
                       "entre pinos después de la lluvia: fresco, verde y relajante. Enciéndela "
                       "al volver a casa y deja que el día se quede fuera.",
        "bullets": ["Cera de soja natural y mecha de algodón",
                    "Hasta ⟨burn_time⟩ de combustión", "Aroma fresco a pino y musgo"],
        "meta_description": "Vela de soja Forest de ⟨weight⟩, con ⟨burn_time⟩ de duración y "
                            "aroma a bosque. Por ⟨price⟩ en Nordic Home.",
    }),
    ("candle", PD, {
        "title": "Soy candle Forest, aroma a pinar",
        "short_description": "Cera de soja, mecha de algodón y un aroma que te lleva al "
                             "bosque sin salir del salón.",
        "description": "¿Te apetece una tarde tranquila? Enciende la Soy candle Forest y deja "
                       "que su aroma a pino, musgo y tierra húmeda llene la habitación. La "
                       "cera de soja arde más despacio que la parafina y apenas deja hollín."
                       "\n\nCon ⟨weight⟩ de cera, te acompañará durante ⟨burn_time⟩. Es un "
                       "regalo sencillo que siempre acierta.",
        "bullets": ["Arde despacio y apenas deja hollín",
                    "Aroma natural a pino, musgo y tierra", "Un regalo que siempre acierta"],
        "meta_description": "Soy candle Forest: vela de soja de ⟨weight⟩ con aroma a pinar y "
                            "⟨burn_time⟩ de luz cálida.",
    }),
    ("knife", PD, {
        "title": "Cuchillo de chef con hoja de ⟨blade⟩",
        "short_description": "Un cuchillo de chef equilibrado, de acero X50CrMoV15, para picar, "
                             "cortar y filetear con precisión.",
        "description": "El Chef's knife es el cuchillo que usarás para casi todo: verduras, "
                       "carne, hierbas y pescado. Su hoja de ⟨blade⟩ está forjada en acero "
                       "X50CrMoV15, un acero inoxidable alemán que mantiene el filo y resiste "
                       "la corrosión.\n\nEl mango se ajusta a la mano y el peso está bien "
                       "repartido entre la hoja y la empuñadura, por lo que cansa menos en "
                       "las tareas largas.",
        "bullets": ["Hoja de ⟨blade⟩ de acero X50CrMoV15",
                    "Mantiene el filo durante más tiempo",
                    "Mango ergonómico y bien equilibrado"],
        "meta_description": "Cuchillo de chef con hoja de ⟨blade⟩ en acero X50CrMoV15: "
                            "filo duradero y buen equilibrio. Por ⟨price⟩.",
    }),
    # --- marketing copy ---------------------------------------------------------------
    ("lamp", MC, {
        "headline": "Luz cálida, madera de verdad",
        "body": "Las tardes de lectura merecen una luz a su altura. La Oak desk lamp de "
                "Nordic Home, tallada en roble macizo, ilumina tu mesa con una calidez que "
                "ninguna lámpara de plástico puede imitar.",
        "call_to_action": "Descúbrela ahora",
    }),
    ("mug", MC, {
        "headline": "¿Cuántas tazas únicas tienes?",
        "body": "Cada Stoneware mug se esmalta a mano y ninguna sale igual. Elige la tuya, "
                "llénala con ⟨capacity⟩ de tu café favorito y empieza el día con algo hecho "
                "con cariño.",
        "call_to_action": "Elige tu taza",
    }),
    ("throw", MC, {
        "headline": "El invierno, mejor bajo lana merino",
        "body": "Ligera, suave y tan cálida que no querrás salir del sofá. Nuestra Wool "
                "throw de ⟨size⟩ convierte cualquier tarde fría en un plan perfecto.",
        "call_to_action": "¡Quiero mi manta!",
    }),
    ("chair", MC, {
        "headline": "Siéntate a la mesa con estilo",
        "body": "Fresno claro, asiento trenzado a mano y una ligereza que sorprende. La Ash "
                "dining chair trae la calma del diseño nórdico a tus comidas de cada día.",
        "call_to_action": "Ver la silla",
    }),
    ("chair", MC, {
        "headline": "Una silla que dura generaciones",
        "body": "Cuando eliges madera de fresno y un asiento de cordón de papel trenzado, "
                "eliges una pieza que mejora con los años. Ligera, firme y sencilla, como "
                "deberían ser las cosas buenas.",
        "call_to_action": "Compra ya",
    }),
    ("kettle", MC, {
        "headline": "Mira cómo hierve el agua",
        "body": "El Glass kettle hace del té un pequeño ritual: agua clara, burbujas a la "
                "vista y ⟨power⟩ que la calientan en un momento. Bonito en la encimera y "
                "práctico cada mañana.",
        "call_to_action": "Pídelo hoy",
    }),
    ("kettle", MC, {
        "headline": "Tu té, sin sabores extraños",
        "body": "El vidrio no guarda olores, así que cada infusión sabe exactamente como "
                "debe. Con ⟨capacity⟩ de capacidad, hay agua para ti y para quien venga a "
                "verte por sorpresa.",
        "call_to_action": "Descubre el hervidor",
    }),
    ("bottle", MC, {
        "headline": "Agua fría todo el día",
        "body": "¿Ruta larga o jornada intensa? La Steel water bottle mantiene tu agua fría "
                "durante ⟨keeps_cold⟩. Menos plástico, más frescor y un diseño que te "
                "apetecerá llevar a todas partes.",
        "call_to_action": "Consíguela ahora",
    }),
    ("cushion", MC, {
        "headline": "El lino que tu sofá esperaba",
        "body": "Tacto suave, arrugas naturales y colores que calman. Renueva tu salón con "
                "nuestras fundas de lino lavado, en un juego de ⟨pack_size⟩ listo para "
                "estrenar.",
        "call_to_action": "Renueva tu sofá",
    }),
    ("cushion", MC, {
        "headline": "Pequeños cambios, gran efecto",
        "body": "A veces basta con cambiar las fundas de los cojines para que el salón "
                "parezca otro. El lino lavado aporta textura, calidez y ese aire relajado "
                "que tanto nos gusta.",
        "call_to_action": "Ver colores",
    }),
    ("backpack", MC, {
        "headline": "La ciudad cabe en tu espalda",
        "body": "Portátil, libreta, bocadillo y chaqueta: todo tiene su sitio en la City "
                "backpack. Pesa solo ⟨weight⟩ y sus correas anchas hacen que el camino se "
                "note menos.",
        "call_to_action": "Llévatela",
    }),
    ("backpack", MC, {
        "headline": "Tu portátil, siempre protegido",
        "body": "Su funda acolchada guarda portátiles de hasta ⟨laptop⟩ y los bolsillos "
                "interiores evitan que busques las llaves durante diez minutos. ¡Por fin una "
                "mochila pensada para la vida real!",
        "call_to_action": "Compra la tuya",
    }),
    ("candle", MC, {
        "headline": "Trae el bosque a casa",
        "body": "Pino, musgo y tierra después de la lluvia. La Soy candle Forest llena tu "
                "salón de calma durante ⟨burn_time⟩, con cera de soja que arde limpia y "
                "despacio.",
        "call_to_action": "Enciende la calma",
    }),
    ("knife", MC, {
        "headline": "Cortar bien lo cambia todo",
        "body": "Un buen cuchillo hace que cocinar sea más rápido, más seguro y mucho más "
                "divertido. Nuestro Chef's knife, de acero X50CrMoV15, mantiene el filo "
                "receta tras receta.",
        "call_to_action": "Cocina con precisión",
    }),
    ("knife", MC, {
        "headline": "El cuchillo que usarás a diario",
        "body": "Picar cebolla, filetear salmón o cortar pan recién hecho: el Chef's knife "
                "lo hace todo con una hoja de ⟨blade⟩ bien equilibrada. ¿Preparado para "
                "cocinar como un profesional?",
        "call_to_action": "¡Lo quiero!",
    }),
    ("mug", MC, {
        "headline": "El café sabe mejor en gres",
        "body": "Manos que esmaltan, hornos que cuecen y una taza que guarda el calor hasta "
                "el último sorbo. Así es nuestra Stoneware mug, apta para el lavavajillas y "
                "única como tú.",
        "call_to_action": "Hazte con ella",
    }),
]

# Real answers of the local 135M model (issue 11) and hand-written faults.
BAD = [
    ("lamp", PD, "gibberish: the local model's answer from the issue", {
        "title": "Espaíro con ocho casas de la fútima de llamada",
        "short_description": "Una lámpara de roble para tu escritorio con luz cálida y suave.",
        "description": "Dibuja escábre en un mundo más desacahuera, con la luz de roble que "
                       "alumbra las casas y las mesas de la fútima. La lámpara tiene una base "
                       "de madera y una luz cálida que puedes usar para leer por la noche en "
                       "casa.",
        "bullets": ["Base de roble macizo", "Luz cálida regulable", "Bombilla de rosca E27"],
        "meta_description": "Lámpara de escritorio de roble macizo con luz cálida de Nordic "
                            "Home para leer.",
    }),
    ("mug", PD, "debris: braces and a JSON fragment", {
        "title": "Taza de gres esmaltada",
        "short_description": "{ ,",
        "description": "{\"description\": \"Taza de gres esmaltada a mano de ⟨capacity⟩, "
                       "apta para el lavavajillas y muy resistente para el uso de cada día.\"",
        "bullets": ["⟨price⟩", "350Ml }", "taza_de_gres: taza de gres, 350ml },"],
        "meta_description": "{{",
    }),
    ("throw", PD, "echo bullets, invented size and a cut-off short description", {
        "title": "Manta de lana merino",
        "short_description": "Tejido de color: manta de lana, ⟨size⟩.   Cantidades:",
        "description": "Una manta de lana merino para el sofá que abriga en invierno y deja "
                       "transpirar. Mide 60 x 140 pulgadas y es perfecta para las noches "
                       "de invierno en casa con la familia y los amigos.",
        "bullets": ["⟨price⟩", "throw-wool", "60 x 140 pulgadas (152 cm)"],
        "meta_description": "Manta de lana merino suave y cálida para el sofá de tu casa.",
    }),
    ("lamp", MC, "wrong language: English copy for a Spanish item", {
        "headline": "Warm light, real wood",
        "body": "Reading evenings deserve a light that lives up to them. The Oak desk lamp "
                "from Nordic Home brings real warmth to your desk, with a solid oak base.",
        "call_to_action": "Shop now",
    }),
    ("chair", MC, "the brief pasted back", {
        "headline": "Silla de comedor de fresno",
        "body": "Ash wood dining chair with a woven paper cord seat. Ash wood dining chair "
                "with a woven paper cord seat.",
        "call_to_action": "Comprar",
    }),
    ("kettle", PD, "degeneration: one sentence over and over", {
        "title": "Hervidor de vidrio",
        "short_description": "El hervidor de vidrio es un hervidor de vidrio para el agua.",
        "description": "El hervidor de vidrio es muy bonito. El hervidor de vidrio es muy "
                       "bonito. El hervidor de vidrio es muy bonito. El hervidor de vidrio es "
                       "muy bonito. El hervidor de vidrio es muy bonito para la cocina.",
        "bullets": ["Hervidor de vidrio bonito", "Hervidor de vidrio bonito",
                    "Hervidor de vidrio práctico"],
        "meta_description": "El hervidor de vidrio es muy bonito para la cocina de tu casa.",
    }),
    ("candle", PD, "HTML tags and an escaped newline", {
        "title": "Vela de soja <b>Forest</b>",
        "short_description": "Una vela de soja con aroma a bosque.<br/>Ideal para regalar.",
        "description": "La vela de soja Forest llena la casa de aroma a pino y musgo.\\n\\nSu "
                       "cera de soja arde despacio y de forma limpia, y su mecha de algodón "
                       "apenas deja hollín en el vaso.",
        "bullets": ["Cera de soja natural", "Aroma a pino y musgo", "Mecha de algodón"],
        "meta_description": "Vela de soja con aroma a bosque.</br> Cera natural y mecha de "
                            "algodón.",
    }),
    ("bottle", MC, "invented figures", {
        "headline": "Agua fría durante 48 horas",
        "body": "La Steel water bottle mantiene tu agua fría durante 48 horas y caliente "
                "durante 36 horas. Con un litro de capacidad y un 30 % menos de peso que "
                "otras botellas.",
        "call_to_action": "Cómprala por 19,99 €",
    }),
]

# Invented words in the shape of Spanish, as a small model writes them.
GIBBERISH = [
    "Su diseño escábre y desacahuera alumbra la fútima de los espaíros.",
    "Es una pieza tralúcida con acabado presdoral y lumenoso pinfante.",
    "Con el vesmordo cardinal, la mesca se adrofina con tresuado brillo.",
    "Ideal para la cosmera del hogar, la jenova palfrina y el rostelo.",
]
# The same kind of text in the wrong language.
FOREIGN_TITLES = ["Nordic Home's OAK Desk Lamp", "Cozy Wool Throw For Cold Nights",
                  "Best Stoneware Mug Ever", "Perfect gift for your home"]
FOREIGN_SENTENCE = ("This product is made from high quality materials and will last for "
                    "many years in your home.")
INVENTED_FIGURE = "Mide 24 x 56 pulgadas (62 cm) y pesa 3,4 kg."
